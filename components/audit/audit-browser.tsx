"use client";

import { useCallback, useMemo } from "react";
import { AppError } from "@/lib/errors/app-error";
import { useAuditEvents } from "@/lib/queries/use-audit-events";
import { AuditFiltersBar } from "./audit-filters-bar";
import { AuditTable } from "./audit-table";
import { ChainBadge } from "./chain-badge";
import { ExportPanel } from "./export-panel";
import { useAuditFilters } from "./use-audit-filters";

type AuditBrowserProps = { canExport: boolean };

/** The Audit page's client island: URL filters → events, newest first, with the chain badge and exports. */
export function AuditBrowser({ canExport }: AuditBrowserProps) {
  const [filters, update] = useAuditFilters();
  const query = useAuditEvents(filters);
  const events = useMemo(() => query.data?.pages.flatMap((p) => p.events) ?? [], [query.data]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div className="space-y-4">
      <ChainBadge />
      <AuditFiltersBar filters={filters} onChange={update} filtered={filtered} />
      {canExport && <ExportPanel filters={filters} filtered={filtered} />}
      {query.isPending ? (
        <div role="status" aria-live="polite" className="space-y-2">
          <span className="sr-only">Loading audit events…</span>
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="h-9 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          ))}
        </div>
      ) : query.isError ? (
        <div
          role="alert"
          className="rounded-lg border border-red-300 bg-red-50 p-5 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
        >
          <p className="font-medium">
            {query.error instanceof AppError && query.error.status === 422
              ? "These filters are not valid"
              : "The audit log could not be loaded"}
          </p>
          <p className="mt-1">{query.error instanceof Error ? query.error.message : "Unexpected error"}</p>
          <button
            type="button"
            onClick={() => void query.refetch()}
            className="mt-3 rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800"
          >
            Try again
          </button>
        </div>
      ) : events.length === 0 ? (
        <div
          role="status"
          className="rounded-lg border border-zinc-200 bg-white p-5 text-sm dark:border-zinc-800 dark:bg-zinc-900"
        >
          <p className="font-medium">{filtered ? "No events match these filters" : "No audit events yet"}</p>
        </div>
      ) : (
        <>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
              Newest first · {events.length}
              {hasNextPage ? "+" : ""} event{events.length === 1 ? "" : "s"} loaded · select a row (or press
              Enter) for its details
            </p>
            <button
              type="button"
              disabled={query.isRefetching}
              onClick={() => void query.refetch()}
              className="rounded-md border border-zinc-300 px-3 py-1 text-sm font-medium hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              {query.isRefetching ? "Refreshing…" : "Show new events"}
            </button>
          </div>
          <AuditTable
            events={events}
            hasMore={Boolean(hasNextPage)}
            loadingMore={isFetchingNextPage}
            onNearEnd={onNearEnd}
          />
          {query.isFetchNextPageError && (
            <p role="alert" className="text-sm text-red-800 dark:text-red-300">
              Older events could not be loaded.{" "}
              <button type="button" className="font-medium underline" onClick={() => void fetchNextPage()}>
                Try again
              </button>
            </p>
          )}
        </>
      )}
    </div>
  );
}
