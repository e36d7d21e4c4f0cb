import "server-only";

import { AppError } from "@/lib/errors/app-error";

import { readBranchSnapshot, withSnapshot } from "./branch-snapshot";
import { buildChanges, type BuildChangesInput, type BuiltChanges, type ProposedFile } from "./build-changes";
import { describeChange, proposalBranch, type ChangeDescription } from "./describe-change";
import type { GitProvider, PullRequest } from "./provider";
import { gitFailureReason } from "./provider-error";
import { readMarker } from "./proposal-marker";

export type { ProposedFile };

export type ProposeChangeInput = {
  provider: GitProvider;
  repository: {
    baseBranch: string;
    branchPrefix: string;
    labels: readonly string[];
    reviewers: readonly string[];
  };
  change: ChangeDescription;
  files: readonly ProposedFile[];
  /** How often to rebuild on a newer base after a concurrent write; default 3. */
  maxAttempts?: number;
};

export type ProposeChangeResult = {
  pullRequest: PullRequest;
  branch: string;
  commit: string;
  /** False when an open proposal for the same secret was updated instead. */
  created: boolean;
  attempts: number;
};

/**
 * Commits sealed manifests to the secret's own branch and opens (or updates) its pull request.
 *
 * Every attempt starts from the base branch's current head: files are read there, values merged with
 * `mergeInto` (other keys and documents stay byte-for-byte), and each write quotes the version it read,
 * so a concurrent edit makes the write fail instead of being overwritten; the attempt is then rebuilt on
 * the new head (bounded). A second change to the same secret carries the open proposal's pending values
 * forward and force-moves its branch, but only if the branch still holds what Sealdeck last wrote (on
 * Gitea, which cannot move a branch, it commits on top of the proposal instead). A branch created here
 * is deleted again when a later step fails.
 */
export async function proposeChange(input: ProposeChangeInput): Promise<ProposeChangeResult> {
  const { repository, change } = input;
  if (input.files.length === 0)
    throw new AppError("bad_request", "Nothing to propose: no sealed manifest given.");
  for (const file of input.files) checkManifest(file, change);
  const maxAttempts = input.maxAttempts ?? 3;
  const branch = proposalBranch(repository.branchPrefix, change.secret);

  for (let attempt = 1; ; attempt++) {
    try {
      const result = await attemptProposal(input, branch);
      return { ...result, branch, attempts: attempt };
    } catch (error) {
      if (gitFailureReason(error) !== "conflict" || attempt >= maxAttempts) {
        if (gitFailureReason(error) === "conflict")
          throw new AppError(
            "conflict",
            `The repository kept changing while Sealdeck proposed ${branch} (${attempt} attempts); nothing was overwritten. Try again.`,
            { upstream: "git", reason: "conflict" },
          );
        throw error;
      }
    }
  }
}

async function attemptProposal(
  input: ProposeChangeInput,
  branch: string,
): Promise<Omit<ProposeChangeResult, "branch" | "attempts">> {
  const { provider, repository, change } = input;
  const base = repository.baseBranch;
  const snapshot = await readBranchSnapshot(provider, base, [...new Set(input.files.map((f) => f.path))]);
  if (!snapshot)
    throw new AppError("not_found", `The base branch ${base} does not exist in ${provider.repositoryLabel}.`);
  const baseHead = snapshot.head;
  const reader = withSnapshot(provider, snapshot);

  // Optimistic path for the common case (no open proposal): skip the PR lookup and let branch creation
  // tell us whether one exists. A lookup costs one API call per proposal on hosted forges.
  let fresh: BuiltChanges | undefined;
  let freshError: unknown;
  try {
    fresh = await buildChanges(forBuild(input, reader), baseHead, null);
  } catch (error) {
    // E.g. rotating a key of a secret that so far exists only in its open proposal: look there first.
    if (!(error instanceof AppError) || gitFailureReason(error)) throw error;
    freshError = error;
  }
  let created = false;
  let existing: PullRequest | null = null;
  if (fresh) {
    try {
      await provider.createBranch(branch, baseHead);
      created = true;
    } catch (error) {
      if (gitFailureReason(error) !== "conflict") throw error;
      existing = await provider.findOpenPullRequest(branch, base);
    }
  } else {
    existing = await provider.findOpenPullRequest(branch, base);
    if (!existing) throw freshError;
  }

  if (created && fresh) return openProposal(input, branch, baseHead, baseHead, fresh);

  if (!existing) {
    if (!fresh) throw freshError;
    // A branch without an open proposal (its PR was merged or closed and the branch kept): reuse the
    // name for a fresh proposal. The lease on its current head still stops a concurrent writer.
    const staleHead = await provider.getBranchHead(branch);
    if (!staleHead) throw conflictRetry(branch);
    if (provider.canRebuildBranch) return openProposal(input, branch, baseHead, staleHead, fresh);
    // A host that cannot move a branch: start it again from the base.
    await provider.deleteBranch(branch);
    await provider.createBranch(branch, baseHead);
    return openProposal(input, branch, baseHead, baseHead, fresh);
  }

  const marker = readMarker(existing.body);
  if (!marker || (marker.head !== undefined && marker.head !== existing.headSha)) {
    throw new AppError(
      "conflict",
      `${existing.url} has commits Sealdeck did not make on ${branch}; they were not overwritten. ` +
        "Merge or close that proposal, then try again.",
      { upstream: "git", reason: "foreign-commits" },
    );
  }
  // Rebuilt on the base's head with the pending values carried over; a host that cannot force-move a
  // branch gets a commit on top of the proposal instead (its files already hold the pending values).
  // So does a pull request a re-seal campaign added other secrets to: their commits must stay.
  const batch = marker.batch ?? [];
  const rebuild = provider.canRebuildBranch && batch.length === 0;
  const parent = rebuild ? baseHead : existing.headSha;
  const carried = rebuild
    ? await buildChanges(forBuild(input, reader), baseHead, { head: existing.headSha, files: marker.files })
    : await buildChanges(forBuild(input, reader), existing.headSha, null, marker.files);
  const text = describeChange(change, {
    branchPrefix: repository.branchPrefix,
    files: carried.described,
    batch,
  });
  const commit = await provider.commitFiles({
    branch,
    expectedHead: existing.headSha,
    parent,
    message: text.commitMessage,
    author: { name: change.requestedBy.name, email: change.requestedBy.email },
    changes: carried.changes,
  });
  const withHead = describeChange(change, {
    branchPrefix: repository.branchPrefix,
    files: carried.described,
    head: commit,
    batch,
  });
  // The body records the new head; if it is not written, the next change would take Sealdeck's own commit
  // for someone else's. So a transient failure here gets one more try before it is reported.
  const ref = { number: existing.number, headBranch: branch };
  const description = { title: withHead.title, body: withHead.body };
  const pullRequest = await provider
    .updatePullRequest(ref, description)
    .catch(() => provider.updatePullRequest(ref, description));
  return { pullRequest, commit, created: false };
}

/**
 * Commits on the proposal branch (which points at `expectedHead`) and opens its pull request. If any
 * step fails the branch is deleted: it holds nothing but this proposal.
 */
async function openProposal(
  input: ProposeChangeInput,
  branch: string,
  baseHead: string,
  expectedHead: string,
  fresh: BuiltChanges,
): Promise<Omit<ProposeChangeResult, "branch" | "attempts">> {
  const { provider, repository, change } = input;
  try {
    const text = describeChange(change, { branchPrefix: repository.branchPrefix, files: fresh.described });
    const commit = await provider.commitFiles({
      branch,
      expectedHead,
      parent: baseHead,
      message: text.commitMessage,
      author: { name: change.requestedBy.name, email: change.requestedBy.email },
      changes: fresh.changes,
    });
    const withHead = describeChange(change, {
      branchPrefix: repository.branchPrefix,
      files: fresh.described,
      head: commit,
    });
    const pullRequest = await provider.openPullRequest({
      head: branch,
      base: repository.baseBranch,
      title: withHead.title,
      body: withHead.body,
      labels: repository.labels,
      reviewers: repository.reviewers,
    });
    return { pullRequest, commit, created: true };
  } catch (error) {
    await provider.deleteBranch(branch).catch(() => undefined);
    throw error;
  }
}

export function checkManifest(file: ProposedFile, change: ChangeDescription): void {
  const { metadata } = file.manifest;
  if (metadata.name !== change.secret.name || (metadata.namespace ?? "") !== change.secret.namespace)
    throw new AppError(
      "bad_request",
      `The manifest for ${file.cluster} is for another secret than ${change.secret.namespace}/${change.secret.name}.`,
    );
  if (/^\/|(^|\/)\.\.(\/|$)/.test(file.path))
    throw new AppError("bad_request", `${file.path} is not a path inside the repository.`);
}

function conflictRetry(branch: string): AppError {
  return new AppError("conflict", `${branch} changed while Sealdeck was proposing.`, {
    upstream: "git",
    reason: "conflict",
  });
}

function forBuild(input: ProposeChangeInput, reader: GitProvider): BuildChangesInput {
  return {
    provider: reader,
    baseBranch: input.repository.baseBranch,
    change: input.change,
    files: input.files,
  };
}
