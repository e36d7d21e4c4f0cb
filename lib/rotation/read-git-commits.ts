import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { scrubMessage } from "@/lib/gitops/provider-error";
import { runGit } from "@/lib/gitops/run-git";
import { REENCRYPTION_TRAILER } from "@/lib/sealing";

/** A file a commit added, changed or deleted (relative to its first parent); blob ids, never contents. */
export type GitFileChange = {
  path: string;
  /** The file's blob after the commit; null when the commit deleted it. */
  blob: string | null;
};

export type GitCommitChanges = {
  commit: string;
  /** Committer date, ISO. */
  committedAt: string;
  author: string;
  /** First parent first; more than one for a merge. */
  parents: string[];
  /** Only YAML/JSON regular files. */
  files: GitFileChange[];
  /**
   * The commit message carries a `Sealdeck-Reencryption: <cluster> <key>` trailer: Sealdeck's
   * re-encryption wrote it, so the ciphertexts its marker lists are not rotations.
   */
  reencryption: boolean;
};

const MANIFEST = /\.(ya?ml|json)$/i;
const NO_BLOB = /^0+$/;
const REENCRYPTION_VALUE = /^\S+ [0-9a-f]{64}$/;

/** Runs git in `dir`; a failure is an AppError naming the operation (git's stderr names no file content). */
export async function git(dir: string, operation: string, args: string[]): Promise<string> {
  const result = await runGit(args, { cwd: dir });
  if (result.code !== 0)
    throw new AppError(
      "unavailable",
      `git could not ${operation}: ${scrubMessage(result.stderr.trim().split("\n").slice(-2).join(" "))}`,
    );
  return result.stdout;
}

/** The commit a branch points at in `dir`, or null when the branch does not exist there. */
export async function readBranchHead(dir: string, branch: string): Promise<string | null> {
  const result = await runGit(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], {
    cwd: dir,
  });
  return result.code === 0 ? result.stdout.trim() || null : null;
}

/** Whether `commit` exists in `dir` and is an ancestor of (or equal to) `head`. */
export async function isAncestorCommit(dir: string, commit: string, head: string): Promise<boolean> {
  return (await runGit(["merge-base", "--is-ancestor", commit, head], { cwd: dir })).code === 0;
}

/**
 * The first-parent commits of `head` after `since` (all of them when null), oldest first, at most
 * `maxCommits`: `{ total, last }` where `last` is the newest commit of that bounded slice.
 */
export async function planCommitRange(
  dir: string,
  head: string,
  since: string | null,
  maxCommits: number,
): Promise<{ total: number; last: string | null }> {
  const range = since ? [head, `^${since}`] : [head];
  const total = Number(
    (await git(dir, "count commits", ["rev-list", "--first-parent", "--count", ...range, "--"])).trim(),
  );
  if (total === 0) return { total, last: null };
  if (total <= maxCommits) return { total, last: head };
  // `--skip` counts from the newest commit: skipping the newest total-max leaves the oldest max.
  const last = (
    await git(dir, "bound the commits", [
      "rev-list",
      "--first-parent",
      `--skip=${total - maxCommits}`,
      "--max-count=1",
      ...range,
      "--",
    ])
  ).trim();
  return { total, last: last || null };
}

/**
 * What each first-parent commit in `(since, last]` changed, oldest first. A merge's files are what it
 * brought to the branch (its diff against the first parent). Renames are read as a delete and an add;
 * the caller carries a key's date over when its ciphertext moved unchanged.
 */
export async function readGitCommits(
  dir: string,
  last: string,
  since: string | null,
): Promise<GitCommitChanges[]> {
  const out = await git(dir, "read the history", [
    "log",
    "--first-parent",
    "--diff-merges=first-parent",
    "--root",
    "--reverse",
    "--raw",
    "-z",
    "--no-abbrev",
    "--no-renames",
    "--no-color",
    `--format=%x01%H%x00%cI%x00%an%x00%P%x00%(trailers:key=${REENCRYPTION_TRAILER},valueonly,separator=%x1f)`,
    last,
    ...(since ? [`^${since}`] : []),
    "--",
  ]);
  const tokens = out.split("\0");
  const commits: GitCommitChanges[] = [];
  let current: GitCommitChanges | undefined;
  for (let i = 0; i < tokens.length;) {
    const token = (tokens[i] ?? "").replace(/^\n/, "");
    if (token.startsWith("\x01")) {
      current = {
        commit: token.slice(1),
        committedAt: new Date(tokens[i + 1] ?? "").toISOString(),
        author: tokens[i + 2] ?? "",
        parents: (tokens[i + 3] ?? "").split(" ").filter(Boolean),
        files: [],
        reencryption: (tokens[i + 4] ?? "").split("\x1f").some((v) => REENCRYPTION_VALUE.test(v.trim())),
      };
      commits.push(current);
      i += 5;
    } else if (token.startsWith(":")) {
      // `:<old mode> <new mode> <old blob> <new blob> <status>` then the path.
      const [, newMode = "", , newBlob = "", status = ""] = token.slice(1).split(" ");
      const path = tokens[i + 1] ?? "";
      i += 2;
      if (!current || !MANIFEST.test(path)) continue;
      const deleted = status.startsWith("D") || NO_BLOB.test(newBlob);
      // Regular files only: symlinks (120000) and submodules (160000) hold no manifest.
      if (!deleted && !newMode.startsWith("100")) continue;
      current.files.push({ path, blob: deleted ? null : newBlob });
    } else {
      i += 1;
    }
  }
  return commits;
}
