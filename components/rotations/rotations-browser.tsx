"use client";

import dynamic from "next/dynamic";
import { useCallback, useMemo, useState } from "react";
import { LoadingRows } from "@/components/ui/loading-rows";
import { Notice } from "@/components/ui/notice";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { clearedFilters } from "@/components/ui/use-url-filters";
import { rotationNarrowingKeys } from "@/lib/queries/rotation-urls";
import { useRotationList } from "@/lib/queries/use-rotation-list";
import { useRotationSummary } from "@/lib/queries/use-rotation-summary";
import type { RotationRow, RotationSortField } from "@/lib/validations/rotation";
import { groupRotationRows } from "./group-rotation-rows";
import { RotateSelectionBar } from "./rotate-selection-bar";
import { RotationFiltersBar } from "./rotation-filters-bar";
import { RotationReportLinks } from "./rotation-report-links";
import { RotationStatusCounts } from "./rotation-status-counts";
import { type RotationPermissions, RotationsTable } from "./rotations-table";
import { useGroupByTeam, useRotationFilters } from "./use-rotation-filters";
import { WaiverDialog } from "./waiver-dialog";
import { ClearFiltersButton } from "@/components/ui/clear-filters-button";

// The charting library is the page's heaviest script: loaded apart, after the table, so first rows do not wait for it.
const RotationCharts = dynamic(() => import("./rotation-charts").then((m) => m.RotationCharts), {
  ssr: false,
  loading: () => <div className="h-64" aria-hidden />,
});

type RotationsBrowserProps = { allowed: RotationPermissions };

/** The Rotations page's client island: URL filters → schedule rows, counts, charts, and the actions. */
export function RotationsBrowser({ allowed }: RotationsBrowserProps) {
  const [filters, update] = useRotationFilters();
  const [groupByTeam, setGroup] = useGroupByTeam();
  const query = useRotationList(filters);
  const summary = useRotationSummary(filters);
  const [selected, setSelected] = useState<ReadonlyMap<string, RotationRow>>(new Map());
  const [waiving, setWaiving] = useState<RotationRow | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.rows) ?? [], [query.data]);
  const items = useMemo(() => groupRotationRows(rows, groupByTeam), [rows, groupByTeam]);
  const first = query.data?.pages[0];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const onSort = useCallback(
    (field: RotationSortField) => {
      const order = filters.sort === field && filters.order === "asc" ? "desc" : "asc";
      // Team groups need the team order: another column's order ends the grouping instead of splitting it.
      if (groupByTeam) setGroup({ group: undefined, sort: field, order });
      else update({ sort: field, order });
    },
    [update, setGroup, groupByTeam, filters.sort, filters.order],
  );
  const onToggle = useCallback(
    (row: RotationRow) =>
      setSelected((current) => {
        const next = new Map(current);
        if (next.has(row.id)) next.delete(row.id);
        else next.set(row.id, row);
        return next;
      }),
    [],
  );
  const teams = useMemo(
    () =>
      (summary.data?.complianceByTeam ?? [])
        .map((entry) => entry.team)
        .filter((team): team is string => team !== null)
        .sort(),
    [summary.data],
  );
  const filtered = rotationNarrowingKeys.some((key) => Boolean(filters[key]));
  const selectedIds = useMemo(() => new Set(selected.keys()), [selected]);

  return (
    <div className="space-y-4">
      <RotationFiltersBar filters={filters} teams={teams} onChange={update} />
      {first && (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <RotationStatusCounts
            counts={first.counts}
            active={filters.status}
            onSelect={(status) => update({ status })}
          />
          <div className="flex flex-wrap items-center gap-3 text-sm text-zinc-600 dark:text-zinc-400">
            <label className="flex items-center gap-1.5">
              <input
                type="checkbox"
                checked={groupByTeam}
                onChange={(e) =>
                  setGroup(
                    e.target.checked ? { group: "team", sort: "team", order: "asc" } : { group: undefined },
                  )
                }
              />
              Group by owner team
            </label>
            <RotationReportLinks filters={filters} />
            <span aria-live="polite">
              {first.total} key{first.total === 1 ? "" : "s"} · computed{" "}
              {first.generatedAt.slice(0, 16).replace("T", " ")} UTC
            </span>
          </div>
        </div>
      )}
      {summary.data && first && <RotationCharts summary={summary.data} generatedAt={first.generatedAt} />}
      {summary.isError && (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          The charts could not be loaded:{" "}
          {summary.error instanceof Error ? summary.error.message : "unexpected error"}
        </p>
      )}
      <RotateSelectionBar rows={[...selected.values()]} onClear={() => setSelected(new Map())} />
      <p
        role="status"
        aria-live="polite"
        className={`text-sm ${outcome && !outcome.ok ? "text-red-800 dark:text-red-300" : "text-zinc-700 dark:text-zinc-300"}`}
      >
        {outcome?.text ?? ""}
      </p>
      {query.isPending ? (
        <LoadingRows label="Loading the rotation schedule…" rows={8} rowClassName="h-12" />
      ) : query.isError ? (
        <QueryErrorNotice
          title="The rotation schedule could not be loaded"
          statusTitles={{ 403: "You may not view rotation schedules", 422: "These filters are not valid" }}
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : rows.length === 0 ? (
        <Notice
          title={filtered ? "No keys match these filters" : "No SealedSecret or ExternalSecret keys yet"}
        >
          {filtered && <ClearFiltersButton onClear={() => update(clearedFilters(rotationNarrowingKeys))} />}
        </Notice>
      ) : (
        <>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            Keyboard: Tab to a column name and press Enter to sort by it; focus the table, arrows move, Space
            selects a key, R rotates it now, Enter opens its secret.
          </p>
          <RotationsTable
            items={items}
            generatedAt={first?.generatedAt ?? new Date(0).toISOString()}
            sort={filters.sort}
            order={filters.order}
            onSort={onSort}
            hasMore={Boolean(hasNextPage)}
            onNearEnd={onNearEnd}
            allowed={allowed}
            selected={selectedIds}
            onToggle={onToggle}
            onWaive={setWaiving}
            onOutcome={setOutcome}
          />
        </>
      )}
      {waiving && (
        <WaiverDialog
          row={waiving}
          onClose={(result) => {
            setWaiving(null);
            if (result) setOutcome(result);
          }}
        />
      )}
    </div>
  );
}
