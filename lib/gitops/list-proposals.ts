import "server-only";

import { authorize } from "@/lib/auth/authorize";
import { permissionScope } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import type { Prisma, PrismaClient, Proposal } from "@/lib/db/generated/client";
import type { GitopsRepository } from "@/lib/validations/gitops";
import {
  proposalStates,
  type ProposalListQuery,
  type ProposalListResponse,
  type ProposalState,
  type ProposalSummary,
} from "@/lib/validations/proposal-list";

import { localRepositoryDir } from "./merge-local-branch";
import { remoteLabel } from "./plain-git-provider";

/**
 * Which proposals a user may see, as a query: everything with an "all" inventory permission; else only
 * those in a granted namespace on at least one granted cluster ("*" matches any), as on /secrets.
 */
export function visibleProposalsWhere(principal: Principal): Prisma.ProposalWhereInput {
  const scope = permissionScope(principal.role, "inventory:read");
  if (scope === "all") return {};
  if (scope !== "granted" || principal.grants.length === 0) return { id: { in: [] } };
  return {
    OR: principal.grants.map((grant) => ({
      ...(grant.namespace === "*" ? {} : { namespace: grant.namespace }),
      ...(grant.cluster === "*" ? {} : { clusters: { has: grant.cluster } }),
    })),
  };
}

const webUrl = (url: string) => (/^https?:\/\//.test(url) ? url : null);

/** The git commands that merge a plain-git proposal, run in a clone of its remote (as `origin`). */
export function mergeCommands(branch: string, base: string): string[] {
  return [
    "git fetch origin",
    `git checkout ${base}`,
    `git merge --ff-only origin/${base}`,
    `git merge --no-ff origin/${branch}`,
    `git push origin ${base}`,
  ];
}

/** How an open plain-git proposal is merged, for this user (see ProposalSummary.merge). */
function mergeHow(
  row: Proposal,
  principal: Principal,
  repositories: readonly GitopsRepository[],
  local: Map<string, boolean>,
): ProposalSummary["merge"] {
  if (row.state !== "open" || row.provider !== "plain-git") return null;
  const repository = repositories.find((r) => r.id === row.repository);
  if (repository?.provider !== "plain-git") return null;
  if (!local.has(repository.id)) local.set(repository.id, localRepositoryDir(repository.remote) !== null);
  if (!local.get(repository.id))
    return {
      how: "commands",
      remote: remoteLabel(repository.remote),
      commands: mergeCommands(row.branch, row.baseBranch),
    };
  const allowed = row.clusters.every(
    (cluster) => authorize(principal, "proposal:merge", { cluster, namespace: row.namespace }).allowed,
  );
  return allowed ? { how: "button" } : null;
}

export async function listProposals(
  prisma: PrismaClient,
  principal: Principal,
  query: ProposalListQuery,
  repositories: readonly GitopsRepository[] = [],
): Promise<ProposalListResponse> {
  const where: Prisma.ProposalWhereInput = {
    AND: [
      visibleProposalsWhere(principal),
      query.namespace ? { namespace: query.namespace } : {},
      query.name ? { name: query.name } : {},
      query.cluster ? { clusters: { has: query.cluster } } : {},
    ],
  };
  const [rows, grouped] = await Promise.all([
    prisma.proposal.findMany({
      where: query.state ? { AND: [where, { state: query.state }] } : where,
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: query.limit,
    }),
    prisma.proposal.groupBy({ by: ["state"], where, _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(proposalStates.map((s) => [s, 0])) as Record<ProposalState, number>;
  for (const group of grouped)
    if ((proposalStates as readonly string[]).includes(group.state))
      counts[group.state as ProposalState] = group._count._all;
  // Rows of one pull request share its head (record-proposal keeps them so); a plain-git branch reused
  // later has another head, so its earlier proposals are not counted with it.
  const sharing = rows.length
    ? await prisma.proposal.groupBy({
        by: ["repository", "branch", "number", "headSha"],
        where: {
          OR: rows.map((r) => ({
            repository: r.repository,
            branch: r.branch,
            number: r.number,
            headSha: r.headSha,
          })),
        },
        _count: { _all: true },
      })
    : [];
  const sharedBy = (row: Proposal) =>
    sharing.find(
      (g) =>
        g.repository === row.repository &&
        g.branch === row.branch &&
        g.number === row.number &&
        g.headSha === row.headSha,
    )?._count._all ?? 1;
  const local = new Map<string, boolean>();
  return {
    counts,
    proposals: rows.map((row) => ({
      id: row.id,
      repository: row.repository,
      provider: row.provider,
      number: row.number,
      webUrl: webUrl(row.url),
      branch: row.branch,
      baseBranch: row.baseBranch,
      state: row.state as ProposalState,
      title: row.title,
      namespace: row.namespace,
      name: row.name,
      clusters: row.clusters,
      keys: row.keys,
      requestedBy: row.requestedByName,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      stateCheckedAt: row.stateCheckedAt?.toISOString() ?? null,
      sharedBy: sharedBy(row),
      merge: mergeHow(row, principal, repositories, local),
    })),
  };
}
