import "server-only";

import type { PrismaClient } from "@/lib/db/generated/client";

import type { PullRequest } from "./provider";

type Db = Pick<PrismaClient, "proposal">;

export type RecordProposalInput = {
  repository: string;
  provider: string;
  pullRequest: PullRequest;
  branch: string;
  baseBranch: string;
  namespace: string;
  name: string;
  clusters: readonly string[];
  keys: readonly string[];
  requestedBy: { id: string | null; name: string };
  /** False when the secret's open proposal was updated. */
  created: boolean;
};

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();

/**
 * Records a proposal Sealdeck opened or updated. An update merges into the open row of the same
 * repository, branch, number and secret (keys and clusters accumulate, as they do in the pull request);
 * a new pull request, or a secret added to another's (a re-seal campaign's batch), is a new row. Every
 * open row of that pull request gets its new head and title: any of them may be what a merge quotes.
 * Returns the row's id.
 */
export async function recordProposal(db: Db, input: RecordProposalInput): Promise<string> {
  const { pullRequest } = input;
  const existing = input.created
    ? null
    : await db.proposal.findFirst({
        where: {
          repository: input.repository,
          branch: input.branch,
          number: pullRequest.number,
          namespace: input.namespace,
          name: input.name,
          state: "open",
        },
        orderBy: { createdAt: "desc" },
      });
  const title = pullRequest.title.slice(0, 300);
  await db.proposal.updateMany({
    where: {
      repository: input.repository,
      branch: input.branch,
      number: pullRequest.number,
      state: "open",
      NOT: { namespace: input.namespace, name: input.name },
    },
    data: { url: pullRequest.url, headSha: pullRequest.headSha, title },
  });
  if (existing) {
    await db.proposal.update({
      where: { id: existing.id },
      data: {
        url: pullRequest.url,
        headSha: pullRequest.headSha,
        state: pullRequest.state,
        title,
        clusters: union(existing.clusters, input.clusters),
        keys: union(existing.keys, input.keys),
        stateCheckedAt: new Date(),
      },
    });
    return existing.id;
  }
  const row = await db.proposal.create({
    data: {
      repository: input.repository,
      provider: input.provider,
      number: pullRequest.number,
      url: pullRequest.url,
      branch: input.branch,
      baseBranch: input.baseBranch,
      headSha: pullRequest.headSha,
      state: pullRequest.state,
      title,
      namespace: input.namespace,
      name: input.name,
      clusters: union([], input.clusters),
      keys: union([], input.keys),
      requestedById: input.requestedBy.id,
      requestedByName: input.requestedBy.name.slice(0, 200),
      stateCheckedAt: new Date(),
    },
  });
  return row.id;
}
