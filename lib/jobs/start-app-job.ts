import "server-only";
import { getEnv } from "@/lib/config/env";
import { logger } from "@/lib/log/logger";

import { appLeaseDb } from "./app-lease-db";
import type { LeaseDb } from "./job-lease";
import { type ExclusiveJob, runExclusive } from "./run-exclusive";

/** What tests (and replicas' harnesses) may change of an app job; defaults otherwise. */
export type AppJobOptions = { periodMs?: number; leaseMs?: number; leaseDb?: LeaseDb };

/** The globalThis property holding the process's one job of a kind. */
export type AppJobHandle = `sealdeck${string}`;

export type AppJob = {
  handle: AppJobHandle;
  /** The lease's name, unique per job across the deployment. */
  name: string;
  /** Used when the options give none. */
  periodMs: number;
  run: () => Promise<void>;
  /** The warning logged with `{ problem, during }` when the job or its lease fails. */
  failure: string;
  /** Log every failure; by default a problem is said once until a run succeeds or another problem comes. */
  repeatProblems?: boolean;
};

const globalForJobs = globalThis as unknown as Partial<Record<AppJobHandle, ExclusiveJob>>;

/**
 * Starts an app background job under its lease (lib/jobs/run-exclusive.ts), on the runtime role's pool
 * unless `options.leaseDb`, with the lease time of SEALDECK_JOB_LEASE_SECONDS unless `options.leaseMs`.
 * Kept on globalThis under `job.handle`: one per process, whatever bundle starts it; a second call
 * replaces the first.
 */
export function startAppJob(job: AppJob, options: AppJobOptions = {}): ExclusiveJob {
  void stopAppJob(job.handle);
  let lastProblem = "";
  const started = runExclusive({
    db: options.leaseDb ?? appLeaseDb(),
    name: job.name,
    periodMs: options.periodMs ?? job.periodMs,
    leaseMs: options.leaseMs ?? getEnv().SEALDECK_JOB_LEASE_SECONDS * 1000,
    async run() {
      await job.run();
      lastProblem = "";
    },
    onError(error, during) {
      const problem = (error instanceof Error ? error.message.split("\n")[0] : String(error)) ?? "";
      if (job.repeatProblems || problem !== lastProblem) logger.warn({ problem, during }, job.failure);
      lastProblem = problem;
    },
  });
  globalForJobs[job.handle] = started;
  return started;
}

/** Stops the process's job under `handle`, if one runs: waits for a run under way, gives the lease up. */
export function stopAppJob(handle: AppJobHandle): Promise<void> {
  const started = globalForJobs[handle];
  delete globalForJobs[handle];
  return started?.stop() ?? Promise.resolve();
}
