import "server-only";
import type { RotationSchedule } from "@/lib/rotation/compute-rotation-schedule";
import type { ClusterWarning } from "@/lib/validations/cluster-status";
import type { NotificationItem } from "@/lib/validations/notifications";
import { CLUSTER_SCOPED_NAMESPACE, type SecretRecord } from "@/lib/validations/secret-record";
import { type StoreIncident, soonestDeadline } from "@/lib/validations/store-incidents";

export type ItemSources = {
  /** The cached schedule the Rotations page serves (lib/rotation/get-rotation-schedule.ts); null: unavailable. */
  schedule: RotationSchedule | null;
  records: readonly SecretRecord[];
  /** The inventory's cluster warnings; the sealing-key freshness ones are kept (evaluate-sealing-key-freshness.ts). */
  warnings: readonly ClusterWarning[];
  /** Stores not Ready with their dependants (lib/recovery/find-store-incidents.ts); absent: none known. */
  storeIncidents?: readonly StoreIncident[];
  /** Sealdeck's own URL (NEXTAUTH_URL) for links; null: notices carry no links. */
  baseUrl: string | null;
};

const SUMMARY_MAX = 300;
const clip = (text: string) => (text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text);

/**
 * What is wrong now, from what the pages already compute: overdue rotation rows (waived ones are not
 * overdue), the key-renewal-overdue and keys-piling-up warnings of each controller, and secrets whose
 * health is Degraded (not synced) or Stale (refresh overdue). Nothing is re-derived differently here.
 */
export function collectNotificationItems(sources: ItemSources): NotificationItem[] {
  const base = sources.baseUrl?.replace(/\/+$/, "") ?? null;
  const link = (path: string) => (base ? `${base}${path}` : null);
  const items: NotificationItem[] = [];

  for (const { row } of sources.schedule?.entries ?? []) {
    if (row.status !== "overdue") continue;
    const query = new URLSearchParams({ status: "overdue", cluster: row.cluster, text: row.name });
    if (row.namespace) query.set("namespace", row.namespace);
    items.push({
      key: `rotation-overdue:${row.id}`,
      kind: "rotation-overdue",
      cluster: row.cluster,
      namespace: row.namespace,
      secretKind: row.kind,
      name: row.name,
      secretKey: row.key,
      summary: clip(
        `rotation was due ${row.dueAt?.slice(0, 10) ?? "(unknown)"} (at most every ${row.policy.maxAgeDays} days, ${row.policy.where})`,
      ),
      url: link(`/rotations?${query}`),
    });
  }

  for (const warning of sources.warnings) {
    const kind =
      warning.code === "key-renewal-overdue"
        ? "sealing-key-overdue"
        : warning.code === "keys-piling-up"
          ? "sealing-keys-piling-up"
          : null;
    if (!kind) continue;
    items.push({
      key: `${kind}:${warning.cluster}`,
      kind,
      cluster: warning.cluster,
      namespace: null,
      secretKind: null,
      name: null,
      secretKey: null,
      summary: clip(warning.message),
      url: link("/settings"),
    });
  }

  for (const record of sources.records) {
    const { status, reason, message } = record.health;
    if (status !== "Degraded" && status !== "Stale") continue;
    const path = [record.cluster, record.namespace ?? CLUSTER_SCOPED_NAMESPACE, record.kind, record.name]
      .map(encodeURIComponent)
      .join("/");
    items.push({
      key: `secret-not-syncing:${record.id}`,
      kind: "secret-not-syncing",
      cluster: record.cluster,
      namespace: record.namespace,
      secretKind: record.kind,
      name: record.name,
      secretKey: null,
      summary: clip(`${status}: ${reason}${message ? ` – ${message}` : ""}`),
      url: link(`/secrets/${path}`),
    });
  }
  for (const incident of sources.storeIncidents ?? []) {
    const { store } = incident;
    items.push({
      key: `store-unreachable:${incident.id}`,
      kind: "store-unreachable",
      cluster: incident.cluster,
      namespace: store.namespace ?? null,
      secretKind: store.kind,
      name: store.name,
      secretKey: null,
      summary: clip(storeIncidentSummary(incident)),
      url: link(`/recovery#${encodeURIComponent(`store-${incident.id}`)}`),
    });
  }
  return items;
}

/** "not Ready since …: reason – message; 3 dependent ExternalSecrets; soonest credential expiry …". */
function storeIncidentSummary(incident: StoreIncident): string {
  const count = incident.dependants.length;
  const soonest = soonestDeadline(incident);
  const since = incident.since ? ` since ${formatUtc(incident.since)}` : "";
  return [
    `not Ready${since}: ${incident.reason}${incident.message ? ` – ${incident.message}` : ""}`,
    `${count} dependent ExternalSecret${count === 1 ? "" : "s"}`,
    soonest?.deadline
      ? `soonest credential expiry ${formatUtc(soonest.deadline)} (${soonest.namespace}/${soonest.name})`
      : count > 0
        ? "no credential expiry known"
        : null,
  ]
    .filter(Boolean)
    .join("; ");
}

// The one time format (components/ui/format-timestamp.ts): "2026-12-05 19:31:02 UTC".
const formatUtc = (iso: string) =>
  Number.isNaN(Date.parse(iso)) ? iso : `${new Date(iso).toISOString().slice(0, 19).replace("T", " ")} UTC`;
