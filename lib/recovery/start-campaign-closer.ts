import "server-only";
import { getEnv } from "@/lib/config/env";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { appLeaseDb } from "@/lib/jobs/app-lease-db";
import type { LeaseDb } from "@/lib/jobs/job-lease";
import { type ExclusiveJob, runExclusive } from "@/lib/jobs/run-exclusive";
import { getInventory } from "@/lib/kube/inventory";
import { logger } from "@/lib/log/logger";
import { closeFinishedCampaigns } from "./close-finished-campaigns";

const globalForJob = globalThis as unknown as { sealdeckCampaignCloser?: ExclusiveJob };

/**
 * Closes re-seal campaigns whose last secret turned healthy, in the background, one replica per period
 * ("recovery-campaigns" lease), so a campaign ends when the cluster recovers, not when someone next opens
 * the Recovery page. Kept on globalThis: one per process, whatever bundle starts it.
 */
export function startCampaignCloser(options: { periodMs?: number; leaseDb?: LeaseDb } = {}): ExclusiveJob {
  void globalForJob.sealdeckCampaignCloser?.stop();
  const job = runExclusive({
    db: options.leaseDb ?? appLeaseDb(),
    name: "recovery-campaigns",
    periodMs: options.periodMs ?? 30_000,
    leaseMs: getEnv().SEALDECK_JOB_LEASE_SECONDS * 1000,
    async run() {
      const inventory = getInventory();
      const closed = await closeFinishedCampaigns(getPrismaOrThrow(), (id) => inventory.get(id));
      if (closed.length > 0) logger.info({ closed }, "re-seal campaigns closed");
    },
    onError(error, during) {
      const problem = error instanceof Error ? error.message.split("\n")[0] : String(error);
      logger.warn({ problem, during }, "closing re-seal campaigns failed");
    },
  });
  globalForJob.sealdeckCampaignCloser = job;
  return job;
}
