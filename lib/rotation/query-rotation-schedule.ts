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
// Kubernetes names are ASCII: a code-unit comparison orders them as well as localeCompare, far faster.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function comparator(sort: RotationQuery["sort"]): (a: ScheduleEntry, b: ScheduleEntry) => number {
  switch (sort) {
    case "status":
      return (a, b) => a.rank - b.rank || compareNullable(a.dueMs, b.dueMs);
    case "due":
      return (a, b) => compareNullable(a.dueMs, b.dueMs);
    case "last-rotated":
      return (a, b) => compareNullable(a.lastMs, b.lastMs);
    case "name":
      return (a, b) => cmp(a.row.name, b.row.name) || cmp(a.row.key, b.row.key);
    case "namespace":
      return (a, b) => cmp(text(a.row.namespace), text(b.row.namespace));
    case "cluster":
      return (a, b) => cmp(a.row.cluster, b.row.cluster);
    case "team":
      // Unowned rows last.
      return (a, b) =>
        a.team === b.team ? 0 : a.team === null ? 1 : b.team === null ? -1 : cmp(a.team, b.team);
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

const unfiltered = (filter: RotationFilter) =>
  !filter.cluster && !filter.environment && !filter.namespace && !filter.kind && !filter.team && !filter.text;

function memoized<T>(schedule: RotationSchedule, name: string, make: () => T): T {
  if (!schedule.memo.has(name)) schedule.memo.set(name, make());
  return schedule.memo.get(name) as T;
}

/** Every row matching the filter and visible, in the query's order, with per-status counts. */
export function filterEntries(
  schedule: RotationSchedule,
  query: Pick<RotationQuery, "sort" | "order"> & RotationFilter,
  visible: RowVisibility,
): { matching: ScheduleEntry[]; counts: Record<RotationStatus, number> } {
  const view = sortedEntries(schedule, query.sort, query.order);
  if (visible === null && unfiltered(query)) {
    // The common case (a security lead's first page): counts and status slices are computed once.
    const counts = memoized(schedule, "counts", () => {
      const all = emptyCounts();
      for (const entry of schedule.entries) all[entry.row.status] += 1;
      return all;
    });
    const status = query.status;
    const matching = status
      ? memoized(schedule, `slice:${query.sort}:${query.order}:${status}`, () =>
          view.filter((entry) => entry.row.status === status),
        )
      : view;
    return { matching, counts: { ...counts } };
  }
  const counts = emptyCounts();
  const matching: ScheduleEntry[] = [];
  const needle = query.text ? query.text.toLowerCase() : null;
  for (const entry of view) {
    if (!matches(entry, query, needle)) continue;
    if (visible && !visible(entry.row)) continue;
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

/** The charts' data under the filter (the status filter is ignored, as for the counts). */
export function summarizeRotationSchedule(
  schedule: RotationSchedule,
  filter: RotationFilter,
  visible: RowVisibility,
): RotationSummary {
  const compute = () => summarize(schedule, filter, visible);
  return visible === null && unfiltered(filter) ? memoized(schedule, "summary", compute) : compute();
}

function summarize(
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
  const today = Math.floor(schedule.nowMs / DAY_MS);
  const monthStart = (back: number) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1);
  // Month boundaries as day numbers, oldest first: a rotation's month is found without a Date.
  const months = Array.from({ length: 12 }, (_, i) => ({
    month: new Date(monthStart(11 - i)).toISOString().slice(0, 7),
    fromDay: Math.floor(monthStart(11 - i) / DAY_MS),
    count: 0,
  }));
  const firstDay = months[0]!.fromDay;
  const byDay = new Map<number, number>();
  const byTeam = new Map<string | null, { compliant: number; total: number }>();
  for (const { row, dueMs, rotatedMs, team } of matching) {
    if (dueMs !== null && dueMs >= schedule.nowMs) {
      const day = Math.floor(dueMs / DAY_MS);
      if (day - today <= 90) byDay.set(day, (byDay.get(day) ?? 0) + 1);
    }
    if (rotatedMs !== null && rotatedMs <= schedule.nowMs) {
      const day = Math.floor(rotatedMs / DAY_MS);
      if (day >= firstDay) {
        let i = months.length - 1;
        while (months[i]!.fromDay > day) i--;
        months[i]!.count += 1;
      }
    }
    let tally = byTeam.get(team);
    if (!tally) {
      tally = { compliant: 0, total: 0 };
      byTeam.set(team, tally);
    }
    tally.total += 1;
    if (row.status === "compliant" || row.status === "waived") tally.compliant += 1;
  }
  return {
    dueByDay: [...byDay.entries()]
      .sort(([a], [b]) => a - b)
      .map(([day, count]) => ({ date: new Date(day * DAY_MS).toISOString().slice(0, 10), count })),
    rotationsByMonth: months.map(({ month, count }) => ({ month, count })),
    complianceByTeam: [...byTeam.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
      .map(([team, tally]) => ({ team, ...tally })),
  };
}
