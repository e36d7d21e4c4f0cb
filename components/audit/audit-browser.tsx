"use client";

import { useCallback, useMemo } from "react";
import { LoadingRows } from "@/components/ui/loading-rows";
import { Notice } from "@/components/ui/notice";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { clearedFilters } from "@/components/ui/use-url-filters";
import { pairAuditResults } from "@/lib/audit/display/pair-audit-results";
import { useAuditEvents } from "@/lib/queries/use-audit-events";
import { auditFilterKeys } from "@/lib/validations/audit-query";
import { AuditFiltersBar } from "./audit-filters-bar";
import { AuditTable } from "./audit-table";
import { ChainBadge } from "./chain-badge";
import { ExportPanel } from "./export-panel";
import { useAuditFilters } from "./use-audit-filters";
import { ClearFiltersButton } from "@/components/ui/clear-filters-button";

type AuditBrowserProps = { canExport: boolean };

/** The Audit page's client island: URL filters → events, newest first, with the chain badge and exports. */
export function AuditBrowser({ canExport }: AuditBrowserProps) {
  const [filters, update] = useAuditFilters();
  const query = useAuditEvents(filters);
  const events = useMemo(() => query.data?.pages.flatMap((p) => p.events) ?? [], [query.data]);
  // A request shows its result once both are loaded ("pending" that resolves).
  const results = useMemo(() => pairAuditResults(events), [events]);
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
        <LoadingRows label="Loading audit events…" rows={8} rowClassName="h-9" />
      ) : query.isError ? (
        <QueryErrorNotice
          title="The audit log could not be loaded"
          statusTitles={{ 422: "These filters are not valid" }}
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : events.length === 0 ? (
        <Notice title={filtered ? "No events match these filters" : "No audit events yet"}>
          {/* The same way out as on the Secrets and Rotations pages. */}
          {filtered && <ClearFiltersButton onClear={() => update(clearedFilters(auditFilterKeys))} />}
        </Notice>
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
            results={results}
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
