import { z } from "zod";

// An unreachable secret store and the ExternalSecrets that depend on it (issue #21 item 2): the shapes
// the recovery route, the Recovery page, the notifications and `sealdeck recovery` share. Isomorphic.
// Names, times and statuses only: nothing here ever holds a secret value.

export const CREDENTIAL_EXPIRES_AT_ANNOTATION = "sealdeck.io/credential-expires-at";
export const CREDENTIAL_LEASE_ANNOTATION = "sealdeck.io/credential-lease";

export type StoreKind = "SecretStore" | "ClusterSecretStore";

/** Where a dependant's deadline comes from; null: unknown. */
export type DeadlineSource = "expires-at" | "lease";

export type StoreDependant = {
  /** The inventory record's id (`cluster/namespace/ExternalSecret/name`). */
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  /** The ExternalSecret's Ready condition, as ESO wrote it. */
  ready: { status: string; reason: string | null; message: string | null } | null;
  /** `status.refreshTime`: the last successful sync (ESO does not move it on failure); null: never. */
  lastSyncedAt: string | null;
  refreshInterval: string | null;
  /** When its current credential expires, where known: the deadline the list is ordered by. */
  deadline: string | null;
  deadlineSource: DeadlineSource | null;
  /** Why an expiry annotation was ignored (unreadable), or null. */
  deadlineProblem: string | null;
};

export type StoreIncident = {
  kind: "store-unreachable";
  /** `cluster/namespace/kind/name`, namespace "-" for a ClusterSecretStore. */
  id: string;
  cluster: string;
  store: { kind: StoreKind; namespace?: string; name: string };
  provider: string | null;
  /** The store's Ready condition: reason (e.g. InvalidProviderConfig) and message. */
  reason: string;
  message: string | null;
  /** When it stopped being Ready (the condition's lastTransitionTime), when known. */
  since: string | null;
  /** Ordered by deadline: known ones first, soonest first; unknown last. */
  dependants: StoreDependant[];
};

export type StoreIncidentsResponse = { incidents: StoreIncident[]; generatedAt: string };

export const storeIncidentsQuerySchema = z.object({
  cluster: z.string().trim().min(1).max(253).optional(),
});

/** Known deadlines first, soonest first; then unknown. Ties: the longest without a sync first. */
export function compareDependants(a: StoreDependant, b: StoreDependant): number {
  if (a.deadline !== b.deadline) {
    if (a.deadline === null) return 1;
    if (b.deadline === null) return -1;
    const diff = Date.parse(a.deadline) - Date.parse(b.deadline);
    if (diff !== 0) return diff;
  }
  const synced = (d: StoreDependant) => (d.lastSyncedAt === null ? -Infinity : Date.parse(d.lastSyncedAt));
  const bySync = synced(a) - synced(b);
  if (bySync !== 0 && !Number.isNaN(bySync)) return bySync;
  return `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);
}

/** The dependant whose credential expires first, if any is known (the list's first). */
export const soonestDeadline = (incident: StoreIncident): StoreDependant | null =>
  incident.dependants[0]?.deadline ? incident.dependants[0] : null;

/** Incidents with a known deadline first (soonest first), then the longest-running outage. */
export function compareIncidents(a: StoreIncident, b: StoreIncident): number {
  const da = soonestDeadline(a)?.deadline ?? null;
  const db = soonestDeadline(b)?.deadline ?? null;
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    return Date.parse(da) - Date.parse(db);
  }
  const since = (i: StoreIncident) => (i.since ? Date.parse(i.since) : Infinity);
  const bySince = since(a) - since(b);
  if (bySince !== 0 && !Number.isNaN(bySince)) return bySince;
  return a.id.localeCompare(b.id);
}
