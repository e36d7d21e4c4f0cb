"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { SecretHistoryResponse } from "@/lib/validations/audit-query";
import { fetchJson, retryUnlessDenied } from "./fetch-json";
import { auditKeys } from "./use-audit-events";

const PAGE_SIZE = 20;

export function secretHistoryUrl(
  cluster: string,
  namespace: string,
  kind: string,
  name: string,
  cursor?: string,
): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) params.set("cursor", cursor);
  return `/api/secrets/${[cluster, namespace, kind, name].map(encodeURIComponent).join("/")}/history?${params}`;
}

/** One secret's audit history, newest first, a page at a time ("Show older"). */
export function useAuditSecretHistory(cluster: string, namespace: string, kind: string, name: string) {
  return useInfiniteQuery({
    queryKey: auditKeys.secretHistory(cluster, namespace, kind, name),
    queryFn: ({ pageParam, signal }) =>
      fetchJson<SecretHistoryResponse>(secretHistoryUrl(cluster, namespace, kind, name, pageParam), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: retryUnlessDenied,
    // Actions on the page (force-sync, restart, validate) add events: pick them up without a reload.
    refetchInterval: 30_000,
    refetchOnWindowFocus: false,
  });
}
