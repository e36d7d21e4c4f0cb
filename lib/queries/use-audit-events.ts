"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditFilters } from "@/lib/audit/audit-filters";
import type { AuditEventsResponse } from "@/lib/validations/audit-query";
import { fetchJson, retryUnlessDenied } from "./fetch-json";

const PAGE_SIZE = 100;

// The audit log's React Query keys: ['audit'] → everything; ['audit', 'events', …] → one filtered list.
export const auditKeys = {
  all: ["audit"] as const,
  events: (filters: AuditFilters) => ["audit", "events", filters] as const,
  chain: () => ["audit", "chain"] as const,
  secretHistory: (cluster: string, namespace: string, kind: string, name: string) =>
    ["audit", "secret-history", cluster, namespace, kind, name] as const,
};

/** The filters as a query string (shared by the list, the export links and the page's own URL). */
export function auditFiltersQuery(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  return params;
}

export function auditEventsUrl(filters: AuditFilters, cursor?: string): string {
  const params = auditFiltersQuery(filters);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return `/api/audit/events?${params.toString()}`;
}

/** Audit events for a set of filters, newest first, page by page as the table scrolls. */
export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: auditKeys.events(filters),
    queryFn: ({ pageParam, signal }) =>
      fetchJson<AuditEventsResponse>(auditEventsUrl(filters, pageParam), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: retryUnlessDenied,
    refetchOnWindowFocus: false,
  });
}
