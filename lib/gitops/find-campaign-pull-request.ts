import "server-only";

import type { PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors/app-error";
import type { CampaignPullRequest } from "@/lib/validations/proposal";

type Db = Pick<PrismaClient, "recoveryCampaign" | "proposal">;

/**
 * The open pull request of a re-seal campaign in `repository` that one more of its secrets may join:
 * the newest open proposal Sealdeck recorded since the campaign started for another of its secrets on
 * the campaign's cluster, with how many secrets share it. Null when the campaign is closed or has none,
 * or when that pull request is this secret's own (it already proposes there), or holds a secret `canSee`
 * denies: its branch and title name the secrets in it, which a viewer limited to some namespaces must not
 * learn (they open their own pull request instead).
 */
export async function findCampaignPullRequest(
  db: Db,
  input: {
    campaignId: string;
    repository: string;
    namespace: string;
    name: string;
    clusters: readonly string[];
  },
  canSee: (cluster: string, namespace: string) => boolean,
): Promise<CampaignPullRequest | null> {
  const campaign = await db.recoveryCampaign.findUnique({
    where: { id: input.campaignId },
    include: { secrets: { select: { namespace: true, name: true } } },
  });
  if (!campaign || campaign.closedAt) return null;
  const isThis = (s: { namespace: string; name: string }) =>
    s.namespace === input.namespace && s.name === input.name;
  if (!campaign.secrets.some(isThis) || !input.clusters.includes(campaign.cluster))
    throw new AppError(
      "bad_request",
      `${input.namespace}/${input.name} on ${input.clusters.join(", ")} is not a secret of this re-seal campaign.`,
    );
  const others = campaign.secrets.filter((s) => !isThis(s));
  if (others.length === 0) return null;
  const newest = await db.proposal.findFirst({
    where: {
      repository: input.repository,
      state: "open",
      createdAt: { gte: campaign.startedAt },
      clusters: { has: campaign.cluster },
      OR: others.map((s) => ({ namespace: s.namespace, name: s.name })),
    },
    orderBy: { createdAt: "desc" },
  });
  if (!newest) return null;
  const sharing = await db.proposal.findMany({
    where: { repository: newest.repository, branch: newest.branch, number: newest.number, state: "open" },
    orderBy: { createdAt: "asc" },
    select: { namespace: true, name: true, clusters: true },
  });
  if (!sharing.every((row) => row.clusters.every((cluster) => canSee(cluster, row.namespace)))) return null;
  // The first row on the branch is the secret whose own pull request it is.
  if (sharing[0] && isThis(sharing[0])) return null;
  return {
    repository: newest.repository,
    branch: newest.branch,
    number: newest.number,
    url: newest.url,
    secrets: new Set(sharing.map((s) => `${s.namespace}/${s.name}`)).size,
  };
}
