import "server-only";

import { getEnv } from "@/lib/config/env";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { appLeaseDb } from "@/lib/jobs/app-lease-db";
import type { LeaseDb } from "@/lib/jobs/job-lease";
import { type ExclusiveJob, runExclusive } from "@/lib/jobs/run-exclusive";
import { logger } from "@/lib/log/logger";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";

import { refreshStaleProposals, type RefreshOptions } from "./refresh-proposal-states";

const globalForPoller = globalThis as unknown as { sealdeckProposalPoller?: ExclusiveJob };

export type ProposalPollerOptions = {
  periodMs?: number;
  leaseMs?: number;
  leaseDb?: LeaseDb;
  providerFor?: RefreshOptions["providerFor"];
};

/**
 * Asks the Git hosts about open proposals every SEALDECK_PROPOSAL_POLL_SECONDS, so a merge (or a closed
 * pull request) is recorded even when nobody has the Changes page open. With several replicas one of
 * them polls per period (the "proposal-poll" lease, lib/jobs/). Kept on globalThis: one per process,
 * whatever bundle starts it; a second call replaces the first.
 */
export function startProposalPoller(options: ProposalPollerOptions = {}): ExclusiveJob | null {
  void stopProposalPoller();
  const env = getEnv();
  const periodMs = options.periodMs ?? env.SEALDECK_PROPOSAL_POLL_SECONDS * 1000;
  if (periodMs === 0) return null;
  let lastProblem = "";
  const job = runExclusive({
    db: options.leaseDb ?? appLeaseDb(),
    name: "proposal-poll",
    periodMs,
    leaseMs: options.leaseMs ?? env.SEALDECK_JOB_LEASE_SECONDS * 1000,
    async run() {
      const result = await refreshStaleProposals(getPrismaOrThrow(), {
        repositories: await readGitopsRepositories(),
        // Half a period: a row the previous poll checked is due again at this one.
        staleAfterMs: periodMs / 2,
        limit: 50,
        providerFor: options.providerFor,
      });
      if (result.changed > 0) logger.info(result, "proposal poll: pull requests merged or closed");
      lastProblem = "";
    },
    onError(error, during) {
      const message = (error instanceof Error ? error.message.split("\n")[0] : String(error)) ?? "";
      if (message !== lastProblem) logger.warn({ problem: message, during }, "proposal poll failed");
      lastProblem = message;
    },
  });
  globalForPoller.sealdeckProposalPoller = job;
  return job;
}

export function stopProposalPoller(): Promise<void> {
  const job = globalForPoller.sealdeckProposalPoller;
  delete globalForPoller.sealdeckProposalPoller;
  return job?.stop() ?? Promise.resolve();
}
