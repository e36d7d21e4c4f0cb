import "server-only";

import { getEnv } from "@/lib/config/env";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import type { LeaseDb } from "@/lib/jobs/job-lease";
import type { ExclusiveJob } from "@/lib/jobs/run-exclusive";
import { startAppJob, stopAppJob } from "@/lib/jobs/start-app-job";
import { logger } from "@/lib/log/logger";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";

import { refreshStaleProposals, type RefreshOptions } from "./refresh-proposal-states";

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
  return startAppJob(
    {
      handle: "sealdeckProposalPoller",
      name: "proposal-poll",
      periodMs,
      async run() {
        const result = await refreshStaleProposals(getPrismaOrThrow(), {
          repositories: await readGitopsRepositories(),
          // Half a period: a row the previous poll checked is due again at this one.
          staleAfterMs: periodMs / 2,
          limit: 50,
          providerFor: options.providerFor,
        });
        if (result.changed > 0) logger.info(result, "proposal poll: pull requests merged or closed");
      },
      failure: "proposal poll failed",
    },
    { leaseMs: options.leaseMs, leaseDb: options.leaseDb },
  );
}

export function stopProposalPoller(): Promise<void> {
  return stopAppJob("sealdeckProposalPoller");
}
