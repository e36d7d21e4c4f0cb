import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { mergeSortedRuns } from "@/lib/kube/merge-sorted-runs";
import {
  compareSecretPositions,
  type SecretPosition,
  secretSortValue,
} from "@/lib/validations/secret-list-order";
import type { SecretListQuery } from "@/lib/validations/secret-list-query";
import { type HealthStatus, healthStatuses, type SecretRecord } from "@/lib/validations/secret-record";

// One order for the server's pages and the browser's cached lists (a streamed record is placed by it).
const sortValue = secretSortValue;
const compare = compareSecretPositions;
type Position = SecretPosition;

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

function decodeCursor(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === "string" || typeof value[0] === "number") &&
      typeof value[1] === "string"
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError("bad_request", "The cursor is not one this server issued; start again without it.");
}

// Records are immutable (a change replaces the object), so per-record and per-list work can be
// cached by identity: the search text of each record, and each sort order of each inventory list.
const searchText = new WeakMap<SecretRecord, string>();
type Entry = { record: SecretRecord; position: Position };
type SortedView = {
  all: Entry[];
  byNamespace: Map<string, Entry[]>;
  byHealth: Map<HealthStatus, Entry[]>;
  /**
   * Each namespace slice split by cluster: one list per place a grant is decided on (cluster and
   * namespace), so a restricted viewer reads only the places it may see.
   */
  byPlace: Map<string, Map<string, Entry[]>>;
  counts: Record<HealthStatus, number>;
  /** The records in this view, for telling what the next list changed. */
  members: Set<SecretRecord>;
};
const sortedViews = new WeakMap<readonly SecretRecord[], Map<string, SortedView>>();
// The last view made of each sort order: the next list (one change away, usually) is derived from it by
// removing and inserting what changed, instead of sorting 100,000 records again. On globalThis on purpose:
// Next bundles this module more than once (routes, pages, instrumentation), and every copy pages the same
// inventory list, so they share the last view rather than each sorting it again.
const latestViews: Map<string, SortedView> = ((
  globalThis as { sealdeckLatestSortViews?: Map<string, SortedView> }
).sealdeckLatestSortViews ??= new Map());

/** Beyond this share of changed records a full sort is cheaper than inserting them one by one. */
const INCREMENTAL_LIMIT = 1 / 16;

function searchTextOf(record: SecretRecord): string {
  let text = searchText.get(record);
  if (text === undefined) {
    text = [
      record.name,
      record.namespace ?? "",
      record.cluster,
      record.kind,
      record.target.name,
      record.health.reason,
      ...record.keys,
      ...Object.entries(record.labels).map(([k, v]) => `${k}=${v}`),
      record.source.kind === "external-secrets" ? (record.source.store?.name ?? "") : "",
    ]
      .join("\n")
      .toLowerCase();
    searchText.set(record, text);
  }
  return text;
}

function emptyCounts(): Record<HealthStatus, number> {
  return Object.fromEntries(healthStatuses.map((h) => [h, 0])) as Record<HealthStatus, number>;
}

function push<K>(map: Map<K, Entry[]>, key: K, entry: Entry) {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

const namespaceKey = (entry: Entry) => entry.record.namespace ?? "";

/** A namespace slice split by cluster, each part keeping the slice's order. */
function byCluster(slice: readonly Entry[]): Map<string, Entry[]> {
  const map = new Map<string, Entry[]>();
  for (const entry of slice) push(map, entry.record.cluster, entry);
  return map;
}

/** Inserts `entry` at its place in `list`, sorted by `direction`. */
function insertSorted(list: Entry[], entry: Entry, direction: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (direction * compare(list[mid]!.position, entry.position) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, entry);
}

/**
 * `previous` carried over to `records`: every list of the view keeps its order, the entries of records
 * that left are dropped and the new ones inserted at their place, and only the namespace and health
 * slices a change touched are copied. Null when too much changed for that to pay.
 */
function derivedView(
  previous: SortedView,
  records: readonly SecretRecord[],
  entryOf: (record: SecretRecord) => Entry,
  direction: number,
): SortedView | null {
  const added = records.filter((record) => !previous.members.has(record)).map(entryOf);
  const removedCount = previous.members.size - (records.length - added.length);
  if (added.length + removedCount > records.length * INCREMENTAL_LIMIT) return null;
  const members = new Set(records);
  const removed = removedCount === 0 ? [] : previous.all.filter((e) => !members.has(e.record));
  const gone = new Set(removed);
  const patched = (list: readonly Entry[], entries: Entry[]) => {
    const next = gone.size ? list.filter((e) => !gone.has(e)) : list.slice();
    for (const entry of entries) insertSorted(next, entry, direction);
    return next;
  };
  const patchSlices = <K>(source: Map<K, Entry[]>, keyOf: (e: Entry) => K) => {
    const map = new Map(source);
    for (const key of new Set([...removed, ...added].map(keyOf))) {
      const list = patched(
        source.get(key) ?? [],
        added.filter((e) => keyOf(e) === key),
      );
      if (list.length) map.set(key, list);
      else map.delete(key);
    }
    return map;
  };
  const counts = { ...previous.counts };
  for (const e of removed) counts[e.record.health.status] -= 1;
  for (const e of added) counts[e.record.health.status] += 1;
  const byNamespace = patchSlices(previous.byNamespace, namespaceKey);
  const byPlace = new Map(previous.byPlace);
  for (const key of new Set([...removed, ...added].map(namespaceKey))) {
    const slice = byNamespace.get(key);
    if (slice) byPlace.set(key, byCluster(slice));
    else byPlace.delete(key);
  }
  return {
    all: patched(previous.all, added),
    byNamespace,
    byHealth: patchSlices(previous.byHealth, (e) => e.record.health.status),
    byPlace,
    counts,
    members,
  };
}

/** One sort order of one inventory list, with per-namespace and per-health slices in that order. */
function sortedView(
  records: readonly SecretRecord[],
  sort: SecretListQuery["sort"],
  order: SecretListQuery["order"],
  shared: boolean,
): SortedView {
  let views = sortedViews.get(records);
  if (!views) {
    views = new Map();
    sortedViews.set(records, views);
  }
  const key = `${sort}:${order}`;
  let view = views.get(key);
  if (!view) {
    const direction = order === "desc" ? -1 : 1;
    const entryOf = (record: SecretRecord): Entry => ({
      record,
      position: [sortValue(record, sort), record.id] as Position,
    });
    const previous = latestViews.get(key);
    view =
      (previous && derivedView(previous, records, entryOf, direction)) ??
      fullView(records, entryOf, direction);
    views.set(key, view);
    if (shared) latestViews.set(key, view);
  }
  return view;
}

/** A view sorted from scratch. */
function fullView(
  records: readonly SecretRecord[],
  entryOf: (record: SecretRecord) => Entry,
  direction: number,
): SortedView {
  const all = records.map(entryOf);
  all.sort((a, b) => direction * compare(a.position, b.position));
  const view: SortedView = {
    all,
    byNamespace: new Map(),
    byHealth: new Map(),
    byPlace: new Map(),
    counts: emptyCounts(),
    members: new Set(records),
  };
  for (const entry of all) {
    push(view.byNamespace, namespaceKey(entry), entry);
    push(view.byHealth, entry.record.health.status, entry);
    view.counts[entry.record.health.status] += 1;
  }
  for (const [key, slice] of view.byNamespace) view.byPlace.set(key, byCluster(slice));
  return view;
}

/** Filters everything except health: the state counts are taken at this point. */
function matchesFilters(record: SecretRecord, query: SecretListQuery): boolean {
  if (query.cluster && record.cluster !== query.cluster) return false;
  if (query.namespace && record.namespace !== query.namespace) return false;
  if (query.kind && record.kind !== query.kind) return false;
  if (query.scope && record.scope !== query.scope) return false;
  if (query.text && !searchTextOf(record).includes(query.text.toLowerCase())) return false;
  return true;
}

/** Where a record lives: what a viewer's grants are decided on (lib/kube/filter-visible-records.ts). */
export type RecordPlace = Pick<SecretRecord, "cluster" | "namespace">;

/** The view's lists of the places `visible` allows, narrowed by the namespace and cluster filters. */
function visiblePlaces(
  view: SortedView,
  query: SecretListQuery,
  visible: (place: RecordPlace) => boolean,
): Entry[][] {
  const namespaces = query.namespace
    ? [view.byPlace.get(query.namespace)].filter((m) => m !== undefined)
    : view.byPlace.values();
  const places: Entry[][] = [];
  for (const clusters of namespaces) {
    const lists = query.cluster
      ? [clusters.get(query.cluster)].filter((l) => l !== undefined)
      : clusters.values();
    // Every entry of a list shares its cluster and namespace, so its first record answers for all.
    for (const list of lists) if (visible(list[0]!.record)) places.push(list);
  }
  return places;
}

/**
 * Filter, count, sort and page the inventory (keyset cursor: stable while records change). `visible`
 * narrows it to the places (cluster and namespace) the viewer may see: only those places' pre-sorted
 * lists are read and merged, so a viewer granted a few namespaces costs what they hold, not the whole
 * inventory, and every viewer shares the inventory's cached sort orders. `shared: false` is for a
 * one-viewer copy of the list (impersonation's RBAC-filtered one): its order is not kept as the one the
 * next list derives from, which would make the next request sort the whole inventory again.
 */
export function querySecretRecords(
  records: readonly SecretRecord[],
  query: SecretListQuery,
  visible?: (place: RecordPlace) => boolean,
  { shared = true }: { shared?: boolean } = {},
) {
  const view = sortedView(records, query.sort, query.order, shared);
  const direction = query.order === "desc" ? -1 : 1;
  let counts: Record<HealthStatus, number>;
  // Lists each sorted in the requested order, together holding the matching records once each.
  let runs: Entry[][];
  if (!visible && !query.namespace && !query.cluster && !query.kind && !query.scope && !query.text) {
    // Unfiltered (but for health): everything is precomputed.
    counts = view.counts;
    runs = [query.health ? (view.byHealth.get(query.health) ?? []) : view.all];
  } else {
    counts = emptyCounts();
    const slice = query.namespace ? (view.byNamespace.get(query.namespace) ?? []) : view.all;
    let base = [slice];
    if (visible) {
      const places = visiblePlaces(view, query, visible);
      // A broad grant (a "*" namespace) makes many small lists: past half the slice, reading it whole
      // with the per-place test is as cheap and spares merging them.
      const held = places.reduce((sum, list) => sum + list.length, 0);
      base = held * 2 > slice.length ? [slice.filter((entry) => visible(entry.record))] : places;
    }
    // Filtering a pre-sorted list keeps its order, so no per-request sort is needed.
    runs = base.map((list) => {
      const matching: Entry[] = [];
      for (const entry of list) {
        const { record } = entry;
        if (!matchesFilters(record, query)) continue;
        counts[record.health.status] += 1;
        if (query.health && record.health.status !== query.health) continue;
        matching.push(entry);
      }
      return matching;
    });
  }
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  // In each run, the first item strictly after the cursor in this order (binary search).
  const starts = runs.map((run) => {
    if (!after) return 0;
    let lo = 0;
    let hi = run.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (direction * compare(run[mid]!.position, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
  const page = mergeSortedRuns(
    runs,
    starts,
    query.limit,
    (a, b) => direction * compare(a.position, b.position),
  );
  let total = 0;
  let remaining = 0;
  runs.forEach((run, i) => {
    total += run.length;
    remaining += run.length - starts[i]!;
  });
  const last = page.at(-1);
  const nextCursor = last && page.length < remaining ? encodeCursor(last.position) : null;
  return { items: page.map((m) => m.record), nextCursor, total, counts };
}
