import "server-only";
import { getEnv } from "@/lib/config/env";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { appLeaseDb } from "@/lib/jobs/app-lease-db";
import type { LeaseDb } from "@/lib/jobs/job-lease";
import { type ExclusiveJob, runExclusive } from "@/lib/jobs/run-exclusive";
import { getInventory } from "@/lib/kube/inventory";
import { logger } from "@/lib/log/logger";
import { advanceValueFixes } from "./advance-value-fixes";

const globalForJob = globalThis as unknown as { sealdeckValueFixJob?: ExclusiveJob };

/** How often fixes under way are looked at: a restart follows the applied value within this. */
const DEFAULT_PERIOD_MS = 3_000;

export type ValueFixJobOptions = { periodMs?: number; leaseMs?: number; leaseDb?: LeaseDb };

/**
 * Advances "Fix a value" fixes (advanceValueFixes) in the background, one replica per period under the
 * "value-fix" lease. Kept on globalThis: one per process, whatever bundle starts it.
 */
export function startValueFixJob(options: ValueFixJobOptions = {}): ExclusiveJob {
  void stopValueFixJob();
  let lastProblem = "";
  const job = runExclusive({
    db: options.leaseDb ?? appLeaseDb(),
    name: "value-fix",
    periodMs: options.periodMs ?? DEFAULT_PERIOD_MS,
    leaseMs: options.leaseMs ?? getEnv().SEALDECK_JOB_LEASE_SECONDS * 1000,
    async run() {
      const result = await advanceValueFixes(getPrismaOrThrow(), getInventory());
      if (result.restart.length > 0) logger.info(result, "value fixes advanced");
      lastProblem = "";
    },
    onError(error, during) {
      const message = (error instanceof Error ? error.message.split("\n")[0] : String(error)) ?? "";
      if (message !== lastProblem) logger.warn({ problem: message, during }, "value fix job failed");
      lastProblem = message;
    },
  });
  globalForJob.sealdeckValueFixJob = job;
  return job;
}

export function stopValueFixJob(): Promise<void> {
  const job = globalForJob.sealdeckValueFixJob;
  delete globalForJob.sealdeckValueFixJob;
  return job?.stop() ?? Promise.resolve();
}
