import type { SecretFilters, SecretSortField } from "./secret-list-query";
import type { HealthStatus, SecretRecord } from "./secret-record";

// How GET /api/secrets orders and filters records, written once for both sides: the server pages with it
// (lib/kube/query-secret-records.ts imports the sort from here) and the browser
// uses it to place a streamed record in a cached list without asking the server again.

const severity: Record<HealthStatus, number> = { Degraded: 0, Stale: 1, Unknown: 2, Healthy: 3 };

/** A record's place in one sort: its sort value, then its id (ids are unique, so the order is total). */
export type SecretPosition = [string | number, string];

export function secretSortValue(record: SecretRecord, field: SecretSortField): string | number {
  switch (field) {
    case "health":
      return severity[record.health.status];
    case "name":
      return record.name;
    case "namespace":
      return record.namespace ?? "";
    case "cluster":
      return record.cluster;
    case "kind":
      return record.kind;
    case "created":
      return record.createdAt ?? "";
  }
}

export function compareSecretPositions(a: SecretPosition, b: SecretPosition): number {
  const [av, aid] = a;
  const [bv, bid] = b;
  if (av !== bv)
    return typeof av === "number" && typeof bv === "number" ? av - bv : String(av).localeCompare(String(bv));
  return aid < bid ? -1 : aid > bid ? 1 : 0;
}

/** A comparator for the list's sort and order (the API's defaults: by health, ascending). */
export function secretRecordOrder(
  filters: Pick<SecretFilters, "sort" | "order">,
): (a: SecretRecord, b: SecretRecord) => number {
  const field = filters.sort ?? "health";
  const direction = filters.order === "desc" ? -1 : 1;
  return (a, b) =>
    direction * compareSecretPositions([secretSortValue(a, field), a.id], [secretSortValue(b, field), b.id]);
}

/** What the free-text filter searches, lower-cased. */
export function secretSearchText(record: SecretRecord): string {
  return [
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
}

/** Every filter but health: the records the page's state counts are taken over. */
export function matchesSecretFilters(record: SecretRecord, filters: SecretFilters): boolean {
  if (filters.cluster && record.cluster !== filters.cluster) return false;
  if (filters.namespace && record.namespace !== filters.namespace) return false;
  if (filters.kind && record.kind !== filters.kind) return false;
  if (filters.scope && record.scope !== filters.scope) return false;
  const text = filters.text?.trim().toLowerCase();
  if (text && !secretSearchText(record).includes(text)) return false;
  return true;
}
