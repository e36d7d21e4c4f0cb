import "server-only";

import { AppError } from "@/lib/errors/app-error";

import { buildChanges, type ProposedFile } from "./build-changes";
import { describeBatchAddition, type ChangeDescription } from "./describe-change";
import { checkManifest } from "./propose-change";
import { readMarker, type BatchEntry } from "./proposal-marker";
import type { GitProvider, PullRequest } from "./provider";
import { gitFailureReason } from "./provider-error";

export type AddToPullRequestInput = {
  provider: GitProvider;
  repository: { baseBranch: string };
  /** The shared pull request's branch (another campaign secret's own). */
  branch: string;
  change: ChangeDescription;
  files: readonly ProposedFile[];
  /** How often to start again after the branch moved under us; default 3. */
  maxAttempts?: number;
};

export type AddToPullRequestResult = {
  pullRequest: PullRequest;
  commit: string;
  /** Every secret in the pull request now (`namespace/name`), its own secret first. */
  secrets: string[];
  attempts: number;
};

const secretLabel = (secret: { namespace: string; name: string }) =>
  secret.namespace ? `${secret.namespace}/${secret.name}` : secret.name;

/** The branch moved between our read and our write (another owner added at the same moment). */
class Moved extends Error {}

/**
 * Adds one more re-seal campaign secret to an open pull request: its manifests are merged into the
 * files as they are on the pull request's head and committed on top (one more commit; the write quotes
 * that head and each file's version, so a concurrent commit makes it fail, and the attempt starts again
 * from the new head, bounded). The title and body are rewritten to list every secret in it, and its
 * marker records the batch, so later updates of the pull request's own secret keep these commits.
 * A pull request merged or closed meanwhile fails clearly; nothing is written then.
 */
export async function addToPullRequest(input: AddToPullRequestInput): Promise<AddToPullRequestResult> {
  if (input.files.length === 0)
    throw new AppError("bad_request", "Nothing to propose: no sealed manifest given.");
  for (const file of input.files) checkManifest(file, input.change);
  const maxAttempts = input.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await attemptAdd(input)), attempts: attempt };
    } catch (error) {
      const moved = error instanceof Moved || gitFailureReason(error) === "conflict";
      if (!moved) throw error;
      if (attempt >= maxAttempts)
        throw new AppError(
          "conflict",
          error instanceof Moved
            ? `The campaign's pull request (${input.branch}) moved while Sealdeck added to it, or has commits Sealdeck did not make; nothing was added. Try again, or propose the secret as its own pull request.`
            : `The campaign's pull request (${input.branch}) moved while Sealdeck added to it (${attempt} attempts); nothing was added. Try again.`,
          { upstream: "git", reason: "conflict" },
        );
      // Another owner's commit lands before its description does: give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

async function attemptAdd(input: AddToPullRequestInput): Promise<Omit<AddToPullRequestResult, "attempts">> {
  const { provider, branch, change } = input;
  const existing = await provider.findOpenPullRequest(branch, input.repository.baseBranch);
  if (!existing)
    throw new AppError(
      "conflict",
      `The campaign's pull request (${branch}) was merged or closed meanwhile; nothing was added. Propose the secret as its own pull request.`,
      { upstream: "git", reason: "pull-request-gone" },
    );
  const marker = readMarker(existing.body);
  if (!marker)
    throw new AppError(
      "conflict",
      `${existing.url} was not written by Sealdeck; nothing was added to it. Propose the secret as its own pull request.`,
      { upstream: "git", reason: "foreign-commits" },
    );
  if (marker.head !== undefined && marker.head !== existing.headSha) throw new Moved();
  const secret = secretLabel(change.secret);
  if (marker.secret === secret)
    throw new AppError("bad_request", `${existing.url} is already ${secret}'s own pull request.`);

  const built = await buildChanges(
    { provider, baseBranch: input.repository.baseBranch, change, files: input.files },
    existing.headSha,
    null,
  );
  const earlier = marker.batch ?? [];
  const added: BatchEntry[] = built.described.map((d) => {
    const before = earlier.find((b) => b.secret === secret && b.path === d.path);
    return {
      secret,
      path: d.path,
      cluster: d.cluster,
      keys: [...new Set([...(before?.keys ?? []), ...d.keys])].sort(),
    };
  });
  const batch = [
    ...earlier.filter((b) => !added.some((a) => a.secret === b.secret && a.path === b.path)),
    ...added,
  ];
  const next = { v: 1 as const, secret: marker.secret, files: marker.files, batch };
  const who = {
    secret,
    keys: change.keys,
    clusters: change.clusters,
    requestedBy: change.requestedBy,
  };
  const text = describeBatchAddition(existing.body, next, who);
  const commit = await provider.commitFiles({
    branch,
    expectedHead: existing.headSha,
    parent: existing.headSha,
    message: text.commitMessage,
    author: { name: change.requestedBy.name, email: change.requestedBy.email },
    changes: built.changes,
  });
  const withHead = describeBatchAddition(existing.body, next, who, commit);
  // As in propose-change: the body records the new head, so a transient failure gets one more try.
  const ref = { number: existing.number, headBranch: branch };
  const description = { title: withHead.title, body: withHead.body };
  const pullRequest = await provider
    .updatePullRequest(ref, description)
    .catch(() => provider.updatePullRequest(ref, description));
  return {
    pullRequest,
    commit,
    secrets: [marker.secret, ...new Set(batch.map((b) => b.secret).filter((s) => s !== marker.secret))],
  };
}
