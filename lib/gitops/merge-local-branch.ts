import "server-only";

import { existsSync } from "node:fs";
import path from "node:path";

import { AppError } from "@/lib/errors/app-error";

import type { CommitAuthor } from "./provider";
import { runGit } from "./run-git";

export type LocalMergeInput = {
  /** The repository on this machine (the plain-git remote of the default `.data/gitops`). */
  repoDir: string;
  base: string;
  branch: string;
  /** The proposal's head as recorded: a branch that moved since is not merged unseen. */
  expectedHead: string;
  /** The signed-in user: author and committer of the merge commit. */
  committer: CommitAuthor;
  message: string;
};

export type LocalMerge = { sha: string; mergedAt: Date; base: string; previousBase: string };

/** A plain-git remote that is a folder on this machine (a path or a file:// URL), else null. */
export function localRepositoryDir(remote: string): string | null {
  const dir = remote.startsWith("file://") ? decodeURIComponent(new URL(remote).pathname) : remote;
  if (!path.isAbsolute(dir)) return null;
  return existsSync(dir) ? dir : null;
}

const LOCK_RETRIES = 20;
const LOCK_POLL_MS = 250;

/** Waits (a few seconds at most) while another git process holds the checkout's index. */
async function indexUnlocked(gitDir: string) {
  for (let i = 0; i < LOCK_RETRIES && existsSync(path.join(gitDir, "index.lock")); i++)
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
}

/**
 * `git merge --no-ff` in a checkout that other git processes (a person, a script) may use at the same
 * time. git does not wait for the index lock: a merge that meets it stops half-way ("Unable to write
 * index") with MERGE_HEAD written. So the lock is awaited first, a merge of ours that stopped is aborted
 * (someone else's stopped merge is theirs to finish), and one stopped by the lock is tried again.
 */
async function mergeInCheckout(cwd: string, message: string, head: string, env: Record<string, string>) {
  const gitDir = (await runGit(["rev-parse", "--absolute-git-dir"], { cwd })).stdout.trim();
  for (let attempt = 1; ; attempt++) {
    await indexUnlocked(gitDir);
    const result = await runGit(["merge", "--no-ff", "--no-edit", "--quiet", "-m", message, head], {
      cwd,
      env,
    });
    if (result.code === 0) return result;
    const mergeHead = await runGit(["rev-parse", "-q", "--verify", "MERGE_HEAD"], { cwd });
    if (mergeHead.stdout.trim() === head) {
      await indexUnlocked(gitDir);
      await runGit(["merge", "--abort"], { cwd });
    }
    const locked = /index\.lock|Unable to write index/.test(result.stderr);
    if (!locked || attempt >= LOCK_RETRIES) return result;
  }
}

const conflict = (message: string) =>
  new AppError("conflict", message, { upstream: "git", reason: "conflict" });

/**
 * Merges a proposal branch into its base in a repository on this machine with a real merge commit (as
 * `git merge --no-ff` makes it), the signed-in user as its author and committer. Refused, leaving the
 * repository as it was, when the branch moved since it was proposed, is already merged, or conflicts
 * with the base. Where the base is checked out in a working tree this runs `git merge --no-ff` there
 * (so the checkout follows); otherwise it builds the same commit with `git merge-tree` and moves the
 * base with a compare-and-swap (`update-ref <new> <old>`), so a base that moved meanwhile is not lost.
 */
export async function mergeLocalBranch(input: LocalMergeInput): Promise<LocalMerge> {
  const cwd = input.repoDir;
  const identity = {
    GIT_AUTHOR_NAME: input.committer.name,
    GIT_AUTHOR_EMAIL: input.committer.email,
    GIT_COMMITTER_NAME: input.committer.name,
    GIT_COMMITTER_EMAIL: input.committer.email,
  };
  const git = async (args: string[], env?: Record<string, string>) => {
    const result = await runGit(args, { cwd, env });
    if (result.code !== 0) throw new AppError("internal", `git ${args[0]} failed in the local repository.`);
    return result.stdout.trim();
  };
  const head = async (branch: string) => {
    const result = await runGit(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], {
      cwd,
    });
    return result.code === 0 ? result.stdout.trim() : null;
  };

  const branchHead = await head(input.branch);
  if (!branchHead)
    throw new AppError("not_found", `The branch ${input.branch} no longer exists in the repository.`);
  if (branchHead !== input.expectedHead)
    throw conflict(`${input.branch} moved since it was proposed; review it again before merging.`);
  const baseHead = await head(input.base);
  if (!baseHead)
    throw new AppError("not_found", `The base branch ${input.base} does not exist in the repository.`);
  if ((await runGit(["merge-base", "--is-ancestor", branchHead, baseHead], { cwd })).code === 0)
    throw conflict(`${input.branch} is already merged into ${input.base}.`);

  const bare = (await git(["rev-parse", "--is-bare-repository"])) === "true";
  const checkedOut =
    !bare &&
    (await runGit(["symbolic-ref", "-q", "HEAD"], { cwd })).stdout.trim() === `refs/heads/${input.base}`;
  let sha: string;
  if (checkedOut) {
    const merged = await mergeInCheckout(cwd, input.message, branchHead, identity);
    if (merged.code !== 0) {
      throw conflict(
        `${input.branch} cannot be merged into ${input.base} without a person resolving it (a conflict, or local changes in the checkout); nothing was changed.`,
      );
    }
    sha = await git(["rev-parse", "HEAD"]);
  } else {
    const tree = await runGit(["merge-tree", "--write-tree", "--no-messages", baseHead, branchHead], { cwd });
    if (tree.code !== 0)
      throw conflict(
        `${input.branch} conflicts with ${input.base}; nothing was changed. Rebase the proposal first.`,
      );
    const treeId = tree.stdout.split("\n")[0]?.trim() ?? "";
    const commit = await runGit(["commit-tree", treeId, "-p", baseHead, "-p", branchHead, "-F", "-"], {
      cwd,
      env: identity,
      input: input.message,
    });
    if (commit.code !== 0) throw new AppError("internal", "git could not write the merge commit.");
    sha = commit.stdout.trim();
    const moved = await runGit(
      ["update-ref", "-m", `merge ${input.branch}`, `refs/heads/${input.base}`, sha, baseHead],
      { cwd },
    );
    if (moved.code !== 0)
      throw conflict(`${input.base} moved while merging; nothing was changed. Try again.`);
  }
  const parents = (await git(["rev-list", "--parents", "-n", "1", sha])).split(" ").slice(1);
  if (parents.length !== 2 || parents[1] !== branchHead)
    throw new AppError("internal", "git did not make the expected merge commit.");
  const mergedAt = new Date(await git(["show", "-s", "--format=%cI", sha]));
  return { sha, mergedAt, base: input.base, previousBase: parents[0] ?? baseHead };
}
