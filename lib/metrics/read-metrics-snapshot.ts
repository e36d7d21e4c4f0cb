import "server-only";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { DEFAULT_KEY_RENEWAL_DAYS } from "@/lib/kube/evaluate-sealing-key-freshness";
import { getInventory } from "@/lib/kube/inventory";
import { logger } from "@/lib/log/logger";
import { getRotationSchedule } from "@/lib/rotation/get-rotation-schedule";
import type { MetricsSnapshot } from "./build-metrics-registry";

/**
 * Reads what a scrape reports from the running app: the inventory cache, the cached rotation schedule
 * (the same one the Rotations page serves) and the audit chain's head. A failing source is left out
 * and named in `errors`, so Prometheus still gets the rest.
 */
export async function readMetricsSnapshot(): Promise<MetricsSnapshot> {
  const inventory = getInventory();
  await inventory.ready();
  const errors: string[] = [];
  const [rotation, auditHeadSeq] = await Promise.all([
    getRotationSchedule().catch((error: unknown) => {
      logger.warn({ err: error }, "metrics: rotation schedule unavailable");
      errors.push("rotation");
      return null;
    }),
    getPrismaOrThrow()
      .auditEvent.aggregate({ _max: { seq: true } })
      .then((result) => result._max.seq ?? 0n)
      .catch((error: unknown) => {
        logger.warn({ err: error }, "metrics: audit log unavailable");
        errors.push("audit");
        return null;
      }),
  ]);
  return {
    records: inventory.list(),
    clusters: inventory.clusterStatuses(),
    // The period the controller refresh last evaluated the keys with (its setting, or the default).
    keyRenewalDays: (cluster) => {
      const policy = inventory.cluster(cluster)?.keyPolicy;
      return policy ? policy.renewalDays : DEFAULT_KEY_RENEWAL_DAYS;
    },
    rotation,
    auditHeadSeq,
    errors,
    now: new Date(),
  };
}
