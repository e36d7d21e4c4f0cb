import "server-only";

import { getEnv } from "@/lib/config/env";
import { appLeaseDb } from "@/lib/jobs/app-lease-db";
import type { LeaseDb } from "@/lib/jobs/job-lease";
import { runExclusive } from "@/lib/jobs/run-exclusive";
import { logger } from "@/lib/log/logger";

import { backfillGitHistory, type GitHistoryPassStats } from "./backfill-git-history";

/** How often local repositories are looked at: a proposal merged into `.data/gitops` shows within this. */
const LOCAL_POLL_MS = 15_000;

export type GitHistoryBackfill = {
  /** Runs a pass now (after the one under way, if any), fetching remote repositories; resolves when done. */
  runNow(): Promise<void>;
  stop(): void;
};

const globalForBackfill = globalThis as unknown as { sealdeckGitHistoryBackfill?: GitHistoryBackfill };

/**
 * Runs the history backfill at start and then on a timer, in this process: every 15 s (reading the
 * local repository in place is cheap, so a merge shows at once) and fetching remote repositories every
 * SEALDECK_GIT_HISTORY_INTERVAL_SECONDS. A pass that stopped at its bound is followed at once by the
 * next, so a first sight of a long history catches up without waiting. Kept on globalThis like the
 * rotation watcher (one per process, whatever bundle calls it). With several replicas the timed passes
 * run in one of them at a time (the "git-history-backfill" lease, lib/jobs/); a pass asked for with
 * runNow runs here at once, and the per-repository advisory lock keeps it from overlapping another.
 */
export function startGitHistoryBackfill(
  options: { leaseDb?: LeaseDb; leaseMs?: number } = {},
): GitHistoryBackfill | null {
  stopGitHistoryBackfill();
  const env = getEnv();
  const intervalMs = env.SEALDECK_GIT_HISTORY_INTERVAL_SECONDS * 1000;
  if (intervalMs === 0) return null;
  const bounds = {
    maxCommits: env.SEALDECK_GIT_HISTORY_MAX_COMMITS,
    timeBudgetMs: env.SEALDECK_GIT_HISTORY_BUDGET_SECONDS * 1000,
  };
  let stopped = false;
  let current: Promise<void> | null = null;
  let lastFetch = -Infinity;
  let lastProblem = "";

  const report = (results: GitHistoryPassStats[]) => {
    for (const r of results.filter((r) => r.status === "updated"))
      logger.info(
        {
          repository: r.repository,
          branch: r.branch,
          commits: r.commitsRead,
          remaining: r.remaining,
          keys: r.keysChanged,
          fromScratch: r.fromScratch,
        },
        "git history backfill: read new commits",
      );
    const problems = results
      .filter((r) => r.status === "failed" || r.status === "skipped")
      .map((r) => `${r.repository}: ${r.reason ?? r.status}`)
      .join("; ");
    // Said once, not every 15 s.
    if (problems && problems !== lastProblem)
      logger.warn({ problems }, "git history backfill: repositories not read");
    lastProblem = problems;
  };

  const pass = async (fetch: boolean) => {
    try {
      if (fetch) lastFetch = Date.now();
      let results = await backfillGitHistory({ ...bounds, fetch });
      report(results);
      while (!stopped && results.some((r) => r.status === "updated" && r.remaining > 0)) {
        results = await backfillGitHistory({ ...bounds, fetch: false });
        report(results);
      }
    } catch (error) {
      const message = (error instanceof Error ? error.message.split("\n")[0] : String(error)) ?? "";
      if (message !== lastProblem) logger.warn({ problem: message }, "git history backfill failed");
      lastProblem = message;
    }
  };

  /** Starts a pass unless one is running; resolves when the running or started pass ends. */
  const run = (fetch: boolean): Promise<void> => {
    if (stopped) return Promise.resolve();
    current ??= pass(fetch).finally(() => (current = null));
    return current;
  };

  let leaseProblem = "";
  const job = runExclusive({
    db: options.leaseDb ?? appLeaseDb(),
    name: "git-history-backfill",
    periodMs: Math.min(LOCAL_POLL_MS, intervalMs),
    leaseMs: options.leaseMs ?? env.SEALDECK_JOB_LEASE_SECONDS * 1000,
    run: () => run(Date.now() - lastFetch >= intervalMs),
    onError(error) {
      const message = (error instanceof Error ? error.message.split("\n")[0] : String(error)) ?? "";
      if (message !== leaseProblem)
        logger.warn({ problem: message }, "git history backfill: lease not taken");
      leaseProblem = message;
    },
  });
  const handle: GitHistoryBackfill = {
    async runNow() {
      // A pass already under way may have read the branch before the change the caller knows of.
      await current;
      await run(true);
    },
    stop() {
      stopped = true;
      void job.stop();
    },
  };
  globalForBackfill.sealdeckGitHistoryBackfill = handle;
  return handle;
}

/** The process's backfill, if it was started (for a caller that knows a branch just moved). */
export function getGitHistoryBackfill(): GitHistoryBackfill | null {
  return globalForBackfill.sealdeckGitHistoryBackfill ?? null;
}

export function stopGitHistoryBackfill(): void {
  globalForBackfill.sealdeckGitHistoryBackfill?.stop();
  delete globalForBackfill.sealdeckGitHistoryBackfill;
}
