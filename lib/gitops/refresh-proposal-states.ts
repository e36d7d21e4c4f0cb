import "server-only";

import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { PrismaClient, Proposal } from "@/lib/db/generated/client";
import { logger } from "@/lib/log/logger";
import type { GitopsRepository } from "@/lib/validations/gitops";

import { createProvider } from "./create-provider";
import type { GitProvider, PullRequestState } from "./provider";

type AuditActor = {
  userId?: string;
  name: string;
  role?: string;
  ip?: string | null;
  userAgent?: string | null;
};

/** A merge as Git recorded it: the merge commit (or the head a fast-forward moved the base to), who, when. */
export type MergeRecord = { commit: string; by: string; email?: string; at: Date };

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const webUrl = (url: string) => (/^https?:\/\//.test(url) ? url : null);

/**
 * Moves an open proposal to merged or closed and appends `pull_request.merged` / `pull_request.closed`,
 * exactly once: the row only changes while it is still open (a conditional UPDATE that a concurrent
 * poll or webhook waits on and then finds nothing to change), and the event is written in the same
 * transaction. Returns whether this call made the transition.
 */
export async function transitionProposal(
  prisma: PrismaClient,
  proposal: Pick<
    Proposal,
    "id" | "repository" | "number" | "url" | "branch" | "namespace" | "name" | "clusters" | "keys"
  >,
  state: Exclude<PullRequestState, "open">,
  via: {
    source: "poll" | "webhook" | "sealdeck";
    actor: string | AuditActor;
    headSha?: string;
    /** The merge itself, where known: its commit, who made it and when (plain git: read from the commit). */
    merge?: MergeRecord;
  },
): Promise<boolean> {
  return prisma.$transaction(async (tx: Tx) => {
    const changed = await tx.proposal.updateMany({
      where: { id: proposal.id, state: "open" },
      data: {
        state,
        stateCheckedAt: new Date(),
        ...(via.headSha ? { headSha: via.headSha.slice(0, 64) } : {}),
      },
    });
    if (changed.count !== 1) return false;
    await appendAuditEvent(tx, {
      actor: typeof via.actor === "string" ? { name: via.actor } : via.actor,
      action: `pull_request.${state}`,
      target: {
        cluster: proposal.clusters.length === 1 ? proposal.clusters[0] : null,
        namespace: proposal.namespace,
        kind: "SealedSecret",
        name: proposal.name,
        keys: proposal.keys,
      },
      outcome: "success",
      pullRequestUrl: webUrl(proposal.url),
      details: {
        repository: proposal.repository,
        number: proposal.number,
        branch: proposal.branch,
        via: via.source,
        clusters: proposal.clusters,
        ...(via.merge
          ? {
              mergeCommit: via.merge.commit,
              mergedBy: via.merge.by,
              ...(via.merge.email ? { mergedByEmail: via.merge.email } : {}),
              mergedAt: via.merge.at.toISOString(),
            }
          : {}),
      },
    });
    return true;
  });
}

/** Asks the provider for one open proposal's state and records a change; returns the state seen. */
export async function refreshProposal(
  prisma: PrismaClient,
  provider: GitProvider,
  proposal: Proposal,
): Promise<PullRequestState> {
  const state = await provider.getPullRequestState({ number: proposal.number, headBranch: proposal.branch });
  if (state === "open")
    await prisma.proposal.updateMany({
      where: { id: proposal.id, state: "open" },
      data: { stateCheckedAt: new Date() },
    });
  else {
    // Plain git has no pull-request API to say who merged: the merge commit on the base says it.
    const merge =
      state === "merged" && provider.describeMerge
        ? await provider
            .describeMerge({ number: proposal.number, headBranch: proposal.branch }, proposal.baseBranch)
            .catch(() => null)
        : null;
    await transitionProposal(prisma, proposal, state, {
      source: "poll",
      actor: merge ? { name: merge.by } : `sealdeck (${provider.kind})`,
      ...(merge ? { merge } : {}),
    });
  }
  return state;
}

/** Before a plain-git branch is reused: settle the state of the open rows recorded for it. */
export async function refreshOpenProposalsOnBranch(
  prisma: PrismaClient,
  provider: GitProvider,
  repository: string,
  branch: string,
): Promise<void> {
  const rows = await prisma.proposal.findMany({ where: { repository, branch, state: "open" } });
  for (const row of rows) await refreshProposal(prisma, provider, row);
}

export type RefreshOptions = {
  repositories: readonly GitopsRepository[];
  /** Rows checked more recently than this are left alone. */
  staleAfterMs: number;
  /** At most this many rows are asked about per call (oldest check first). */
  limit?: number;
  now?: Date;
  providerFor?: (repository: GitopsRepository) => GitProvider;
};

/**
 * Refreshes the state of open proposals whose last check is older than `staleAfterMs`, oldest first,
 * one provider per repository. A repository that is no longer configured, or a provider that fails, is
 * logged and skipped: the Changes page then shows the last known state.
 */
export async function refreshStaleProposals(
  prisma: PrismaClient,
  options: RefreshOptions,
): Promise<{ checked: number; changed: number }> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.staleAfterMs);
  const rows = await prisma.proposal.findMany({
    where: { state: "open", OR: [{ stateCheckedAt: null }, { stateCheckedAt: { lt: cutoff } }] },
    orderBy: [{ stateCheckedAt: { sort: "asc", nulls: "first" } }],
    take: options.limit ?? 50,
  });
  const providers = new Map<string, GitProvider | null>();
  let checked = 0;
  let changed = 0;
  for (const row of rows) {
    if (!providers.has(row.repository)) {
      const repository = options.repositories.find((r) => r.id === row.repository);
      try {
        providers.set(
          row.repository,
          repository ? (options.providerFor ?? ((r) => createProvider(r)))(repository) : null,
        );
      } catch (error) {
        logger.warn({ err: error, repository: row.repository }, "proposal states not refreshed");
        providers.set(row.repository, null);
      }
    }
    const provider = providers.get(row.repository);
    if (!provider) continue;
    try {
      const state = await refreshProposal(prisma, provider, row);
      checked++;
      if (state !== "open") changed++;
    } catch (error) {
      logger.warn({ err: error, repository: row.repository, branch: row.branch }, "proposal state not read");
    }
  }
  return { checked, changed };
}
