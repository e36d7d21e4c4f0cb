import "server-only";
import { Gauge, Registry } from "prom-client";
import { evaluateSealingKeyFreshness } from "@/lib/kube/evaluate-sealing-key-freshness";
import type { RotationSchedule } from "@/lib/rotation/compute-rotation-schedule";
import type { ClusterStatus } from "@/lib/validations/cluster-status";
import { rotationStatuses } from "@/lib/validations/rotation";
import {
  CLUSTER_SCOPED_NAMESPACE,
  healthStatuses,
  type SecretRecord,
  secretKinds,
} from "@/lib/validations/secret-record";

/** Everything one scrape reports, read once; a source that could not be read is null (and reported). */
export type MetricsSnapshot = {
  records: readonly Pick<SecretRecord, "cluster" | "kind" | "health">[];
  clusters: readonly Pick<ClusterStatus, "name" | "state" | "since" | "controller">[];
  /** Renewal period in days per cluster (null: disabled), as the key warnings use it. */
  keyRenewalDays: (cluster: string) => number | null;
  rotation: RotationSchedule | null;
  auditHeadSeq: bigint | null;
  /** Sources that failed this scrape ("rotation", "audit"). */
  errors: readonly string[];
  now: Date;
};

/**
 * One scrape's metrics in a Registry of its own: nothing is kept between scrapes (Next bundles this
 * module several times, and a gauge that outlived its cluster would be reported forever).
 */
export function buildMetricsRegistry(snapshot: MetricsSnapshot): Registry {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const seconds = (ms: number) => Math.round(ms / 1000);

  const secrets = gauge("sealdeck_secrets", "Secrets in the inventory by cluster, kind and health.", [
    "cluster",
    "kind",
    "health",
  ]);
  for (const cluster of snapshot.clusters)
    for (const kind of secretKinds)
      for (const health of healthStatuses) secrets.set({ cluster: cluster.name, kind, health }, 0);
  for (const record of snapshot.records)
    secrets.inc({ cluster: record.cluster, kind: record.kind, health: record.health.status });

  const stale = gauge(
    "sealdeck_inventory_stale",
    "1 when the cluster's cached inventory is stale (the cluster cannot be reached), else 0.",
    ["cluster"],
  );
  const lastSync = gauge(
    "sealdeck_inventory_last_sync_timestamp_seconds",
    "Unix time up to which the cluster's cached inventory is known current: the scrape time while its watches are live, the moment it went stale otherwise.",
    ["cluster"],
  );
  const keyCount = gauge(
    "sealdeck_sealing_keys",
    "Sealing keys of the cluster's sealed-secrets controller.",
    ["cluster"],
  );
  const newestAge = gauge(
    "sealdeck_sealing_key_newest_age_seconds",
    "Age of the newest sealing key: above the renewal period, renewal has stopped.",
    ["cluster"],
  );
  const renewalOverdue = gauge(
    "sealdeck_sealing_key_renewal_overdue",
    "1 when the newest sealing key is older than the cluster's renewal period plus a day, else 0.",
    ["cluster"],
  );
  for (const cluster of snapshot.clusters) {
    stale.set({ cluster: cluster.name }, cluster.state === "stale" ? 1 : 0);
    const known =
      cluster.state === "synced"
        ? snapshot.now
        : cluster.state === "stale" && cluster.since
          ? new Date(cluster.since)
          : null;
    if (known) lastSync.set({ cluster: cluster.name }, seconds(known.getTime()));
    if (!cluster.controller) continue;
    const freshness = evaluateSealingKeyFreshness(
      cluster.name,
      cluster.controller.keys,
      snapshot.keyRenewalDays(cluster.name),
      snapshot.now,
    );
    keyCount.set({ cluster: cluster.name }, cluster.controller.keys.length);
    if (freshness.newestAgeMs !== null)
      newestAge.set({ cluster: cluster.name }, seconds(freshness.newestAgeMs));
    renewalOverdue.set({ cluster: cluster.name }, freshness.overdue ? 1 : 0);
  }

  if (snapshot.rotation) {
    const keys = gauge(
      "sealdeck_rotation_keys",
      'Secret keys by rotation status, as the Rotations page counts them (namespace "-": cluster-scoped).',
      ["cluster", "namespace", "status"],
    );
    const oldest = gauge(
      "sealdeck_rotation_oldest_key_age_seconds",
      "Time since the least recently rotated key of the cluster was last rotated (or created, when nothing else is known).",
      ["cluster"],
    );
    const places = new Set<string>();
    const oldestMs = new Map<string, number>();
    for (const { row, lastMs } of snapshot.rotation.entries) {
      // "-" for cluster-scoped secrets (ClusterExternalSecret), as in record ids and grants.
      const namespace = row.namespace ?? CLUSTER_SCOPED_NAMESPACE;
      const place = JSON.stringify([row.cluster, namespace]);
      if (!places.has(place)) {
        places.add(place);
        for (const status of rotationStatuses) keys.set({ cluster: row.cluster, namespace, status }, 0);
      }
      keys.inc({ cluster: row.cluster, namespace, status: row.status });
      if (lastMs !== null) {
        const age = snapshot.rotation.nowMs - lastMs;
        if (age > (oldestMs.get(row.cluster) ?? -1)) oldestMs.set(row.cluster, age);
      }
    }
    for (const [cluster, age] of oldestMs) oldest.set({ cluster }, seconds(age));
  }

  if (snapshot.auditHeadSeq !== null) {
    gauge(
      "sealdeck_audit_chain_head_seq",
      "Sequence number of the newest audit event (the chain's head).",
      [],
    ).set(Number(snapshot.auditHeadSeq));
  }

  const sourceUp = gauge(
    "sealdeck_metrics_source_up",
    "1 when this scrape could read the source (rotation schedule, audit log), else 0: its metrics are then absent.",
    ["source"],
  );
  for (const source of ["rotation", "audit"])
    sourceUp.set({ source }, snapshot.errors.includes(source) ? 0 : 1);
  return registry;
}
