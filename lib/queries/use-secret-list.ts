"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import type { SecretFilters, SecretListResponse } from "@/lib/validations/secret-list-query";
import { fetchJson, retryUnlessDenied } from "./fetch-json";
import { inventoryKeys } from "./keys";

// A small first page paints the table sooner (a 2,000-row first page cost about a second on a
// 30,000-record estate, bench/results/inventory-browser.md); later pages, fetched while scrolling, are big.
const FIRST_PAGE_SIZE = 250;
const PAGE_SIZE = 2000;

export function secretListUrl(filters: SecretFilters, cursor?: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  params.set("limit", String(cursor ? PAGE_SIZE : FIRST_PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return `/api/secrets?${params.toString()}`;
}

/** The inventory list for a set of filters, page by page (the table asks for more as it scrolls). */
export function useSecretList(filters: SecretFilters) {
  return useInfiniteQuery({
    queryKey: inventoryKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      fetchJson<SecretListResponse>(secretListUrl(filters, pageParam), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: retryUnlessDenied,
    // A new sort or filter keeps the table (and the focused sort button) until its rows arrive, rather
    // than swapping it for a skeleton and dropping a keyboard user's focus.
    placeholderData: keepPreviousData,
    // Live updates arrive over the event stream; refetching on focus would only repeat them.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}
