import "server-only";

import type { GitProviderKind } from "@/lib/validations/gitops";

// What proposing a change needs from a Git host, and nothing more. Every provider converts its API's
// payloads into these shapes and its failures into AppError (see provider-error.ts), so propose-change
// and locate-manifest never see a forge's JSON.

/** A file as stored at one commit. `version` is what a later write must quote to prove it saw this file. */
export type RepoFile = {
  path: string;
  content: string;
  /** Blob sha (git, GitHub, Gitea) or the last commit that touched the file (GitLab). */
  version: string;
};

/** A branch's head and some files as they are at that head (`null`: the file does not exist there). */
export type BranchSnapshot = { head: string; files: ReadonlyMap<string, RepoFile | null> };

export type CommitAuthor = { name: string; email: string };

export type FileChange = {
  path: string;
  content: string;
  /** The `version` read before editing; `null` when the file must not exist yet. */
  expectedVersion: string | null;
};

export type CommitFilesInput = {
  branch: string;
  /** The branch's head as last read: the write is refused (conflict) if it moved since. */
  expectedHead: string;
  /**
   * The commit to build on. Equal to `expectedHead` for a plain commit on top; otherwise the branch is
   * force-moved to a new commit on `parent` (a proposal rebuilt on a newer base).
   */
  parent: string;
  message: string;
  author?: CommitAuthor;
  changes: readonly FileChange[];
};

export type PullRequestState = "open" | "merged" | "closed";

export type PullRequest = {
  /** PR / MR number (`iid` on GitLab); for plain git, 0. */
  number: number;
  url: string;
  state: PullRequestState;
  headBranch: string;
  /** The head commit the host reports for the PR's branch. */
  headSha: string;
  baseBranch: string;
  title: string;
  body: string;
};

/** Identifies a proposal: plain git has no numbers, only branches. */
export type PullRequestRef = { number: number; headBranch: string };

export type OpenPullRequestInput = {
  head: string;
  base: string;
  title: string;
  body: string;
  labels: readonly string[];
  reviewers: readonly string[];
};

export type FindManifestFilesInput = {
  name: string;
  namespace: string;
  ref: string;
  /** Only look below this folder (e.g. an Argo CD Application's path). */
  under?: string;
  /** At most this many candidate paths are returned. */
  limit: number;
};

export interface GitProvider {
  readonly kind: GitProviderKind;
  /** False for plain git: proposals are branches, a "pull request" is a record of that branch. */
  readonly hasPullRequests: boolean;
  /**
   * Whether `commitFiles` can force-move a branch onto a new parent. Gitea's API cannot; an open proposal
   * there is updated with a commit on top of its branch instead of being rebuilt on the newer base.
   */
  readonly canRebuildBranch: boolean;
  /** Human-readable repository label for messages, e.g. `acme/deploy` (never a URL with credentials). */
  readonly repositoryLabel: string;

  /** The file at `ref` (branch or commit), or null when it does not exist there. */
  readFile(path: string, ref: string): Promise<RepoFile | null>;
  /**
   * Paths of YAML/JSON files at `ref` that may hold the named SealedSecret: the host's code search when it
   * has one, else a bounded walk of the tree. Candidates only; the caller parses them.
   */
  findManifestFiles(input: FindManifestFilesInput): Promise<string[]>;
  /**
   * The branch's head and `paths` at that head in one round trip, for hosts that can (GitHub's GraphQL);
   * null when the branch does not exist. Hosts without it are read with getBranchHead + readFile.
   */
  readBranchFiles?(branch: string, paths: readonly string[]): Promise<BranchSnapshot | null>;
  /** The commit a branch points at, or null when the branch does not exist. */
  getBranchHead(branch: string): Promise<string | null>;
  /** Creates `branch` at `commit`; conflict if it already exists. */
  createBranch(branch: string, commit: string): Promise<void>;
  /** Commits all `changes` at once (one commit) and moves the branch to it; returns the new commit. */
  commitFiles(input: CommitFilesInput): Promise<string>;
  openPullRequest(input: OpenPullRequestInput): Promise<PullRequest>;
  /** The open PR whose head is `branch` in this repository, if any. */
  findOpenPullRequest(branch: string, base: string): Promise<PullRequest | null>;
  /** Rewrites an open PR's title and body (its branch is moved by `commitFiles`). */
  updatePullRequest(ref: PullRequestRef, input: { title: string; body: string }): Promise<PullRequest>;
  getPullRequestState(ref: PullRequestRef): Promise<PullRequestState>;
  /**
   * Plain git: the commit on `base` that merged the proposal (the first merge commit on the way from its
   * head; its head itself after a fast-forward), with its committer and date; null when not merged.
   */
  describeMerge?(
    ref: PullRequestRef,
    base: string,
  ): Promise<{ commit: string; by: string; email?: string; at: Date } | null>;
  /** Deletes a branch; a branch that is already gone is not an error. */
  deleteBranch(branch: string): Promise<void>;
}
