"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import type { RotationListResponse } from "@/lib/validations/rotation";
import { fetchJson, retryUnlessDenied } from "./fetch-json";
import { rotationKeys } from "./keys";
import { type RotationFilters, rotationListUrl } from "./rotation-urls";

// As on the Secrets page: a small first page paints sooner, later pages (while scrolling) are big.
const FIRST_PAGE_SIZE = 250;
const PAGE_SIZE = 2000;

/** The next offset to ask for, or undefined when every matching row is loaded. */
export function nextRotationOffset(pages: readonly RotationListResponse[]): number | undefined {
  const loaded = pages.reduce((sum, page) => sum + page.rows.length, 0);
  const last = pages.at(-1);
  if (!last || last.rows.length === 0 || loaded >= last.total) return undefined;
  return loaded;
}

/** Every key's rotation row for the filters, page by page (the table asks for more as it scrolls). */
export function useRotationList(filters: RotationFilters) {
  return useInfiniteQuery({
    queryKey: rotationKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      fetchJson<RotationListResponse>(
        rotationListUrl(filters, pageParam, pageParam === 0 ? FIRST_PAGE_SIZE : PAGE_SIZE),
        signal,
      ),
    initialPageParam: 0,
    getNextPageParam: (_last, pages) => nextRotationOffset(pages),
    retry: retryUnlessDenied,
    // A new sort or filter keeps the table (and the focused sort button) until its rows arrive, rather
    // than swapping it for a skeleton and dropping a keyboard user's focus.
    placeholderData: keepPreviousData,
    // Due dates move by the day and rotations land through pull requests: a minute is fresh enough.
    refetchInterval: 60_000,
  });
}
