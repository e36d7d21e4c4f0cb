import "server-only";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import type { LeaseDb } from "@/lib/jobs/job-lease";
import type { ExclusiveJob } from "@/lib/jobs/run-exclusive";
import { startAppJob } from "@/lib/jobs/start-app-job";
import { getInventory } from "@/lib/kube/inventory";
import { logger } from "@/lib/log/logger";
import { closeFinishedCampaigns } from "./close-finished-campaigns";
import { removedFromInventory } from "./removed-from-cluster";

/**
 * Closes re-seal campaigns whose last secret turned healthy, in the background, one replica per period
 * ("recovery-campaigns" lease), so a campaign ends when the cluster recovers, not when someone next opens
 * the Recovery page. Kept on globalThis: one per process, whatever bundle starts it.
 */
export function startCampaignCloser(options: { periodMs?: number; leaseDb?: LeaseDb } = {}): ExclusiveJob {
  return startAppJob(
    {
      handle: "sealdeckCampaignCloser",
      name: "recovery-campaigns",
      periodMs: 30_000,
      async run() {
        const inventory = getInventory();
        const closed = await closeFinishedCampaigns(
          getPrismaOrThrow(),
          (id) => inventory.get(id),
          removedFromInventory(inventory),
        );
        if (closed.length > 0) logger.info({ closed }, "re-seal campaigns closed");
      },
      failure: "closing re-seal campaigns failed",
      repeatProblems: true,
    },
    // Only these two: the lease time is always SEALDECK_JOB_LEASE_SECONDS.
    { periodMs: options.periodMs, leaseDb: options.leaseDb },
  );
}
