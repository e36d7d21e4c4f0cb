import "server-only";

import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { RequestClient } from "@/lib/audit/request-client";
import type { Principal } from "@/lib/auth/principal";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { logger } from "@/lib/log/logger";
import { getGitHistoryBackfill } from "@/lib/rotation/start-git-history-backfill";
import type { MergeProposalResult } from "@/lib/validations/proposal-list";

import { authorizeEachCluster } from "./authorize-each-cluster";
import { localRepositoryDir, mergeLocalBranch } from "./merge-local-branch";
import { committerOf } from "./committer-of";
import { remoteLabel } from "./plain-git-provider";
import { transitionProposal } from "./refresh-proposal-states";
import { selectRepository } from "./select-repository";

/**
 * "Merge" on the Changes page, for a plain-git proposal in a repository on this server (the default
 * `.data/gitops`): `pull_request.merge.requested` is written first (nothing is merged if it cannot be),
 * then the branch is merged with a real merge commit by the signed-in user, and the proposal moves to
 * merged with `pull_request.merged` naming that commit, who merged and when. A refused merge (the branch
 * moved, a conflict) appends `pull_request.merge_failed` and changes nothing in Git.
 */
export async function mergeProposal(
  proposalId: string,
  context: { principal: Principal; client: RequestClient },
): Promise<MergeProposalResult> {
  const { principal } = context;
  const prisma = getPrismaOrThrow();
  const proposal = await prisma.proposal.findUnique({ where: { id: proposalId } });
  if (!proposal) throw new AppError("not_found", "This pull request is not one Sealdeck opened.");
  // A pull request re-seal campaign owners added their secrets to has a row per secret: merging it
  // merges all of them, so the merger needs the right for every one.
  const sharing = await prisma.proposal.findMany({
    where: {
      repository: proposal.repository,
      branch: proposal.branch,
      number: proposal.number,
      state: "open",
      id: { not: proposal.id },
    },
    orderBy: { createdAt: "asc" },
  });
  authorizeEachCluster(
    principal,
    "proposal:merge",
    [proposal, ...sharing].flatMap((row) =>
      row.clusters.map((cluster) => ({ cluster, namespace: row.namespace })),
    ),
  );
  if (proposal.state !== "open")
    throw new AppError("conflict", `This proposal is already ${proposal.state}; there is nothing to merge.`);
  const repository = await selectRepository(proposal.repository);
  const repoDir = repository.provider === "plain-git" ? localRepositoryDir(repository.remote) : null;
  if (!repoDir)
    throw new AppError(
      "unprocessable",
      `Sealdeck merges only proposals in a repository on its own server; merge ${proposal.branch} in ${repository.provider === "plain-git" ? remoteLabel(repository.remote) : "its Git host"}.`,
    );

  const actor = {
    userId: principal.userId,
    name: principal.username,
    role: principal.role,
    ip: context.client.ip,
    userAgent: context.client.userAgent,
  };
  const target = {
    cluster: proposal.clusters.length === 1 ? proposal.clusters[0] : null,
    namespace: proposal.namespace,
    kind: "SealedSecret",
    name: proposal.name,
    keys: proposal.keys,
  };
  const details = {
    repository: proposal.repository,
    branch: proposal.branch,
    base: proposal.baseBranch,
    head: proposal.headSha,
    clusters: proposal.clusters,
    ...(sharing.length > 0 ? { sharedWith: sharing.map((row) => `${row.namespace}/${row.name}`) } : {}),
  };
  try {
    await appendAuditEvent(prisma, {
      actor,
      action: "pull_request.merge.requested",
      target,
      outcome: "pending",
      details,
    });
  } catch (error) {
    logger.error({ err: error, action: "pull_request.merge.requested" }, "audit write failed; merge refused");
    throw new AppError(
      "unavailable",
      "The audit log cannot be written right now, so nothing was merged. Try again later.",
    );
  }

  const committer = await committerOf(principal);
  let merged: Awaited<ReturnType<typeof mergeLocalBranch>>;
  try {
    merged = await mergeLocalBranch({
      repoDir,
      base: proposal.baseBranch,
      branch: proposal.branch,
      expectedHead: proposal.headSha,
      committer,
      message: `Merge ${proposal.branch} into ${proposal.baseBranch}\n\n${proposal.title}\n\nMerged in Sealdeck by ${committer.name}.`,
    });
  } catch (error) {
    await appendAuditEvent(prisma, {
      actor,
      action: "pull_request.merge_failed",
      target,
      outcome: "failure",
      details: { ...details, reason: error instanceof AppError ? error.message : "git failed" },
    }).catch((auditError: unknown) =>
      logger.error({ err: auditError, action: "pull_request.merge_failed" }, "audit write failed"),
    );
    throw error;
  }

  for (const row of [proposal, ...sharing])
    await transitionProposal(prisma, row, "merged", {
      source: "sealdeck",
      actor,
      headSha: proposal.headSha,
      merge: { commit: merged.sha, by: committer.name, email: committer.email, at: merged.mergedAt },
    });
  // The rotation evidence reads the base branch's history: read the new commit now, not at the next poll.
  void getGitHistoryBackfill()?.runNow();
  return {
    commit: merged.sha,
    mergedBy: committer.name,
    mergedAt: merged.mergedAt.toISOString(),
    base: merged.base,
  };
}
