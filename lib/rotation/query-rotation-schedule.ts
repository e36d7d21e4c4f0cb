import {
  type RotationListResponse,
  type RotationQuery,
  type RotationRow,
  type RotationStatus,
  rotationStatuses,
  type RotationSummary,
} from "@/lib/validations/rotation";
import { DAY_MS, type RotationSchedule, type ScheduleEntry } from "./compute-rotation-schedule";

// Filter, count, sort and page a computed schedule, and the charts' summary of the same filter. Sort
// orders are computed once per schedule and kept on it (`views`; the schedule is replaced when anything
// changes), so a request only walks a pre-sorted array: tens of thousands of rows in a few ms.

export type RotationFilter = Omit<RotationQuery, "sort" | "order" | "offset" | "limit">;

/** Which rows the user may see; null for everything. */
export type RowVisibility = ((row: RotationRow) => boolean) | null;

function compareNullable(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

const text = (value: string | null) => value ?? "";

function comparator(sort: RotationQuery["sort"]): (a: ScheduleEntry, b: ScheduleEntry) => number {
  switch (sort) {
    case "status":
      return (a, b) => a.rank - b.rank || compareNullable(a.dueMs, b.dueMs);
    case "due":
      return (a, b) => compareNullable(a.dueMs, b.dueMs);
    case "last-rotated":
      return (a, b) =>
        compareNullable(
          a.row.lastRotatedAt ? Date.parse(a.row.lastRotatedAt) : null,
          b.row.lastRotatedAt ? Date.parse(b.row.lastRotatedAt) : null,
        );
    case "name":
      return (a, b) => a.row.name.localeCompare(b.row.name) || a.row.key.localeCompare(b.row.key);
    case "namespace":
      return (a, b) => text(a.row.namespace).localeCompare(text(b.row.namespace));
    case "cluster":
      return (a, b) => a.row.cluster.localeCompare(b.row.cluster);
    case "team":
      return (a, b) =>
        compareNullable(a.team === null ? 1 : 0, b.team === null ? 1 : 0) ||
        text(a.team).localeCompare(text(b.team));
  }
}

/** The schedule in one order; the row id breaks ties so pages are stable. */
export function sortedEntries(
  schedule: RotationSchedule,
  sort: RotationQuery["sort"],
  order: RotationQuery["order"],
): ScheduleEntry[] {
  const views = schedule.views;
  const name = `${sort}:${order}`;
  let view = views.get(name);
  if (!view) {
    const compare = comparator(sort);
    const direction = order === "desc" ? -1 : 1;
    view = [...schedule.entries].sort(
      (a, b) => direction * (compare(a, b) || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0)),
    );
    views.set(name, view);
  }
  return view;
}

function matches(entry: ScheduleEntry, filter: RotationFilter, needle: string | null): boolean {
  const { row } = entry;
  if (filter.cluster && row.cluster !== filter.cluster) return false;
  if (filter.environment && row.environment !== filter.environment) return false;
  if (filter.namespace && row.namespace !== filter.namespace) return false;
  if (filter.kind && row.kind !== filter.kind) return false;
  if (filter.team && (entry.team ?? "") !== (filter.team === "Unowned" ? "" : filter.team)) return false;
  if (needle) {
    const haystack = `${row.name}\n${row.key}\n${row.namespace ?? ""}\n${row.cluster}\n${entry.team ?? ""}`;
    if (!haystack.toLowerCase().includes(needle)) return false;
  }
  return true;
}

export const emptyCounts = (): Record<RotationStatus, number> =>
  Object.fromEntries(rotationStatuses.map((s) => [s, 0])) as Record<RotationStatus, number>;

/** Every row matching the filter and visible, in the query's order, with per-status counts. */
export function filterEntries(
  schedule: RotationSchedule,
  query: Pick<RotationQuery, "sort" | "order"> & RotationFilter,
  visible: RowVisibility,
): { matching: ScheduleEntry[]; counts: Record<RotationStatus, number> } {
  const counts = emptyCounts();
  const matching: ScheduleEntry[] = [];
  const needle = query.text ? query.text.toLowerCase() : null;
  for (const entry of sortedEntries(schedule, query.sort, query.order)) {
    if (visible && !visible(entry.row)) continue;
    if (!matches(entry, query, needle)) continue;
    counts[entry.row.status] += 1;
    if (query.status && entry.row.status !== query.status) continue;
    matching.push(entry);
  }
  return { matching, counts };
}

export function queryRotationSchedule(
  schedule: RotationSchedule,
  query: RotationQuery,
  visible: RowVisibility,
): RotationListResponse {
  const { matching, counts } = filterEntries(schedule, query, visible);
  return {
    rows: matching.slice(query.offset, query.offset + query.limit).map((entry) => entry.row),
    total: matching.length,
    counts,
    generatedAt: schedule.generatedAt,
  };
}

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** The charts' data under the filter (the status filter is ignored, as for the counts). */
export function summarizeRotationSchedule(
  schedule: RotationSchedule,
  filter: RotationFilter,
  visible: RowVisibility,
): RotationSummary {
  const { matching } = filterEntries(
    schedule,
    { ...filter, status: undefined, sort: "status", order: "asc" },
    visible,
  );
  const now = new Date(schedule.nowMs);
  const horizon = schedule.nowMs + 90 * DAY_MS;
  const months: string[] = [];
  for (let back = 11; back >= 0; back--)
    months.push(monthOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)));
  const firstMonthMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1);
  const byDay = new Map<string, number>();
  const byMonth = new Map(months.map((m) => [m, 0]));
  const byTeam = new Map<string | null, { compliant: number; total: number }>();
  for (const { row, dueMs, rotatedMs, team } of matching) {
    if (dueMs !== null && dueMs >= schedule.nowMs && dueMs <= horizon) {
      const day = new Date(dueMs).toISOString().slice(0, 10);
      byDay.set(day, (byDay.get(day) ?? 0) + 1);
    }
    if (rotatedMs !== null && rotatedMs >= firstMonthMs && rotatedMs <= schedule.nowMs) {
      const month = monthOf(rotatedMs);
      byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
    }
    const tally = byTeam.get(team) ?? { compliant: 0, total: 0 };
    tally.total += 1;
    if (row.status === "compliant" || row.status === "waived") tally.compliant += 1;
    byTeam.set(team, tally);
  }
  return {
    dueByDay: [...byDay.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, count]) => ({ date, count })),
    rotationsByMonth: months.map((month) => ({ month, count: byMonth.get(month) ?? 0 })),
    complianceByTeam: [...byTeam.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
      .map(([team, tally]) => ({ team, ...tally })),
  };
}
