import "server-only";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import type { ExclusiveJob } from "@/lib/jobs/run-exclusive";
import { type AppJobOptions, startAppJob, stopAppJob } from "@/lib/jobs/start-app-job";
import { getInventory } from "@/lib/kube/inventory";
import { logger } from "@/lib/log/logger";
import { advanceValueFixes } from "./advance-value-fixes";

/** How often fixes under way are looked at: a restart follows the applied value within this. */
const DEFAULT_PERIOD_MS = 3_000;

export type ValueFixJobOptions = AppJobOptions;

/**
 * Advances "Fix a value" fixes (advanceValueFixes) in the background, one replica per period under the
 * "value-fix" lease. Kept on globalThis: one per process, whatever bundle starts it.
 */
export function startValueFixJob(options: ValueFixJobOptions = {}): ExclusiveJob {
  return startAppJob(
    {
      handle: "sealdeckValueFixJob",
      name: "value-fix",
      periodMs: DEFAULT_PERIOD_MS,
      async run() {
        const result = await advanceValueFixes(getPrismaOrThrow(), getInventory());
        if (result.restart.length > 0) logger.info(result, "value fixes advanced");
      },
      failure: "value fix job failed",
    },
    options,
  );
}

export function stopValueFixJob(): Promise<void> {
  return stopAppJob("sealdeckValueFixJob");
}
