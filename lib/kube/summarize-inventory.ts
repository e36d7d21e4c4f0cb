import "server-only";
import type { ClusterStatus, ClusterWarning } from "@/lib/validations/cluster-status";
import {
  type HealthStatus,
  healthStatuses,
  type SecretKind,
  secretKinds,
  type SecretRecord,
} from "@/lib/validations/secret-record";

export type InventorySummary = {
  total: number;
  byKind: Record<SecretKind, number>;
  byHealth: Record<HealthStatus, number>;
  byCluster: { cluster: string; total: number; failing: number }[];
  /** Degraded first, then Stale, then Unknown; at most `limit`. */
  failing: SecretRecord[];
  failingTotal: number;
  clusters: ClusterStatus[];
  warnings: ClusterWarning[];
};

const severity: Record<HealthStatus, number> = { Degraded: 0, Stale: 1, Unknown: 2, Healthy: 3 };

/** The Overview's numbers: totals by kind, health and cluster, and the failing items first. */
export function summarizeInventory(
  records: readonly SecretRecord[],
  clusters: ClusterStatus[],
  warnings: ClusterWarning[],
  limit = 8,
): InventorySummary {
  const byKind = Object.fromEntries(secretKinds.map((k) => [k, 0])) as Record<SecretKind, number>;
  const byHealth = Object.fromEntries(healthStatuses.map((h) => [h, 0])) as Record<HealthStatus, number>;
  const perCluster = new Map(clusters.map((c) => [c.name, { cluster: c.name, total: 0, failing: 0 }]));
  const failing: SecretRecord[] = [];
  for (const record of records) {
    byKind[record.kind] += 1;
    byHealth[record.health.status] += 1;
    const entry = perCluster.get(record.cluster) ?? { cluster: record.cluster, total: 0, failing: 0 };
    entry.total += 1;
    if (record.health.status !== "Healthy") {
      entry.failing += 1;
      failing.push(record);
    }
    perCluster.set(record.cluster, entry);
  }
  failing.sort((a, b) => severity[a.health.status] - severity[b.health.status] || a.id.localeCompare(b.id));
  return {
    total: records.length,
    byKind,
    byHealth,
    byCluster: [...perCluster.values()],
    failing: failing.slice(0, limit),
    failingTotal: failing.length,
    clusters,
    warnings,
  };
}
