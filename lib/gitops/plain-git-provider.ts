import "server-only";

import { createHash } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { AppError } from "@/lib/errors/app-error";

import type {
  CommitFilesInput,
  FindManifestFilesInput,
  GitProvider,
  OpenPullRequestInput,
  PullRequest,
  PullRequestRef,
  PullRequestState,
  RepoFile,
} from "./provider";
import { providerError, scrubMessage } from "./provider-error";
import { runGit } from "./run-git";

export type PlainGitOptions = {
  /** Any remote the git CLI can push to, including a local path such as `.data/gitops`. */
  remote: string;
  /** Where the private cache clone lives; one per remote. */
  cacheDir?: string;
  /** Committer identity (the author is the requesting user). */
  committer?: { name: string; email: string };
};

const SEALDECK = { name: "Sealdeck", email: "sealdeck@localhost" };
/** Fetches that lost a race for a remote-tracking ref's lock are tried again, this many times in all. */
const FETCH_ATTEMPTS = 5;

/** `https://user:token@host/x.git` → `https://host/x.git`: the remote as it may appear in messages. */
export function remoteLabel(remote: string): string {
  return remote.replace(/(\w+:\/\/)[^/@\s]+@/, "$1");
}

/**
 * Proposals for hosts without a pull-request API (and for the local `.data/gitops` repository): each
 * proposal is a branch on the remote; merging it is a fast-forward of the base branch done by a person.
 * Every ref change is a push with `--force-with-lease`, so a branch that moved since it was read is
 * never overwritten.
 */
export function createPlainGitProvider(options: PlainGitOptions): GitProvider {
  // Never let a remote be read as a git option (it is passed where options are still parsed).
  if (options.remote.startsWith("-"))
    throw new AppError("bad_request", "A git remote cannot start with '-'.");
  const label = remoteLabel(options.remote);
  const cache =
    options.cacheDir ??
    path.join(
      tmpdir(),
      "sealdeck-gitops",
      createHash("sha256").update(options.remote).digest("hex").slice(0, 16),
    );
  const committer = options.committer ?? SEALDECK;
  let ready: Promise<void> | undefined;
  // One git operation at a time per cache: fetches and temporary indexes must not interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const git = async (
    operation: string,
    args: string[],
    extra: { input?: string; env?: Record<string, string> } = {},
  ) => {
    const result = await runGit(args, { cwd: cache, ...extra });
    // `push --porcelain` reports rejections ("[rejected] (stale info)") on stdout.
    if (result.code !== 0) throw failure(operation, `${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };

  const failure = (operation: string, stderr: string): AppError => {
    const text = stderr;
    const status = /stale info|rejected|non-fast-forward|fetch first|already exists/i.test(text)
      ? 409
      : /authentication failed|could not read username|permission denied \(publickey\)|403/i.test(text)
        ? 401
        : /not found|does not appear to be a git repository|couldn't find remote ref|no such/i.test(text)
          ? 404
          : /declined|protected/i.test(text)
            ? 403
            : undefined;
    return providerError({
      host: "git",
      operation,
      status,
      upstream: scrubMessage(
        text
          .split("\n")
          .filter((line) => line.trim() && !/^(To |Done$)/.test(line))
          .slice(-3)
          .join(" "),
      ),
    });
  };

  const ensureCache = () =>
    (ready ??= (async () => {
      await mkdir(cache, { recursive: true });
      const probe = await runGit(["rev-parse", "--is-bare-repository"], { cwd: cache });
      if (probe.code !== 0 || probe.stdout.trim() !== "true") {
        await rm(cache, { recursive: true, force: true });
        await mkdir(cache, { recursive: true });
        await git("prepare a cache", ["init", "--bare", "--quiet"]);
      }
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));

  const remoteHead = async (branch: string): Promise<string | null> => {
    await ensureCache();
    const out = await git(`read branch ${branch}`, [
      "ls-remote",
      "--",
      options.remote,
      `refs/heads/${branch}`,
    ]);
    return out.split(/\s+/)[0] || null;
  };

  const hasLocally = async (commit: string) =>
    (await runGit(["cat-file", "-e", `${commit}^{commit}`], { cwd: cache })).code === 0;

  /** Makes `commit` available locally, fetching the remote's branches when it is not yet. */
  const haveCommit = async (commit: string): Promise<boolean> => {
    if (await hasLocally(commit)) return true;
    for (let attempt = 1; ; attempt++) {
      const result = await runGit(
        ["fetch", "--quiet", "--no-tags", options.remote, "+refs/heads/*:refs/remotes/origin/*"],
        { cwd: cache },
      );
      if (result.code === 0) break;
      // The cache is shared by every request (and process) using this remote: a fetch running beside
      // this one holds or has just moved the same remote-tracking ref ("cannot lock ref … is at X but
      // expected Y"). Its fetch brings the commits too; else try again once it is done.
      if (attempt < FETCH_ATTEMPTS && /cannot lock ref|unable to update local ref/i.test(result.stderr)) {
        if (await hasLocally(commit)) return true;
        await sleep(150 * attempt);
        continue;
      }
      throw failure("fetch", `${result.stdout}\n${result.stderr}`);
    }
    return hasLocally(commit);
  };

  /** A branch name or commit → a local commit id. */
  const resolve = async (ref: string): Promise<string | null> => {
    const commit = /^[0-9a-f]{40}$/.test(ref) ? ref : await remoteHead(ref);
    if (!commit) return null;
    return (await haveCommit(commit)) ? commit : null;
  };

  const blobAt = async (commit: string, file: string): Promise<string | null> => {
    const result = await runGit(["rev-parse", "--verify", "--quiet", `${commit}:${file}`], { cwd: cache });
    return result.code === 0 ? result.stdout.trim() : null;
  };

  const push = (operation: string, refspec: string, lease: string) =>
    git(operation, [
      "push",
      "--quiet",
      "--porcelain",
      `--force-with-lease=${lease}`,
      options.remote,
      refspec,
    ]);

  const describeBranch = async (branch: string, head: string, base: string): Promise<PullRequest> => {
    await haveCommit(head);
    const message = await git("read commit", ["log", "-1", "--format=%B", head]);
    const [title = branch, ...rest] = message.trimEnd().split("\n");
    return {
      number: 0,
      url: `${label}#${branch}`,
      state: "open",
      headBranch: branch,
      headSha: head,
      baseBranch: base,
      title,
      body: rest.join("\n").trim(),
    };
  };

  const isAncestor = async (commit: string, of: string): Promise<boolean> =>
    (await haveCommit(of)) &&
    (await runGit(["merge-base", "--is-ancestor", commit, of], { cwd: cache })).code === 0;

  return {
    kind: "plain-git",
    canRebuildBranch: true,
    hasPullRequests: false,
    repositoryLabel: label,

    readFile: (file, ref) =>
      serial(async (): Promise<RepoFile | null> => {
        const commit = await resolve(ref);
        if (!commit)
          throw new AppError("not_found", `git could not read ${file}: ${ref} does not exist in ${label}.`);
        const blob = await blobAt(commit, file);
        if (!blob) return null;
        const content = await git(`read ${file}`, ["cat-file", "blob", blob]);
        return { path: file, content, version: blob };
      }),

    findManifestFiles: (input: FindManifestFilesInput) =>
      serial(async () => {
        const commit = await resolve(input.ref);
        if (!commit) return [];
        // `git grep` at a commit reads objects, not a checkout: cheap even for large repositories.
        const result = await runGit(
          [
            "grep",
            "-l",
            "-I",
            "-F",
            "-e",
            input.name,
            commit,
            "--",
            input.under ? `:(literal)${input.under.replace(/\/+$/, "")}/` : ".",
          ],
          { cwd: cache },
        );
        if (result.code > 1) throw failure("search the repository", result.stderr);
        return result.stdout
          .split("\n")
          .filter(Boolean)
          .map((line) => line.slice(commit.length + 1))
          .filter((file) => /\.(ya?ml|json)$/.test(file))
          .slice(0, input.limit);
      }),

    getBranchHead: (branch) => serial(() => remoteHead(branch)),

    createBranch: (branch, commit) =>
      serial(async () => {
        if (!(await haveCommit(commit)))
          throw new AppError("not_found", `git could not create ${branch}: commit ${commit} is unknown.`);
        // An empty lease means "the branch must not exist yet".
        await push(`create branch ${branch}`, `${commit}:refs/heads/${branch}`, `refs/heads/${branch}:`);
      }),

    commitFiles: (input: CommitFilesInput) =>
      serial(async () => {
        if (!(await haveCommit(input.parent)))
          throw new AppError("not_found", `git could not commit: commit ${input.parent} is unknown.`);
        const index = path.join(
          cache,
          `index-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        );
        const env = { GIT_INDEX_FILE: index };
        try {
          await git("prepare a commit", ["read-tree", input.parent], { env });
          for (const change of input.changes) {
            const current = await blobAt(input.parent, change.path);
            if (current !== change.expectedVersion) {
              throw new AppError(
                "conflict",
                `${change.path} changed in ${label} since Sealdeck read it; it was not overwritten.`,
                { upstream: "git", host: "git", reason: "conflict" },
              );
            }
            const blob = (
              await git("write a file", ["hash-object", "-w", "--stdin"], { input: change.content })
            ).trim();
            await git(
              "stage a file",
              ["update-index", "--add", "--cacheinfo", `100644,${blob},${change.path}`],
              {
                env,
              },
            );
          }
          const tree = (await git("write a tree", ["write-tree"], { env })).trim();
          const author = input.author ?? committer;
          const commit = (
            await git("commit", ["commit-tree", tree, "-p", input.parent, "-F", "-"], {
              input: input.message,
              env: {
                GIT_AUTHOR_NAME: author.name,
                GIT_AUTHOR_EMAIL: author.email,
                GIT_COMMITTER_NAME: committer.name,
                GIT_COMMITTER_EMAIL: committer.email,
              },
            })
          ).trim();
          await push(
            `update branch ${input.branch}`,
            `${commit}:refs/heads/${input.branch}`,
            `refs/heads/${input.branch}:${input.expectedHead}`,
          );
          return commit;
        } finally {
          await rm(index, { force: true });
        }
      }),

    openPullRequest: (input: OpenPullRequestInput) =>
      serial(async () => {
        const head = await remoteHead(input.head);
        if (!head)
          throw new AppError("not_found", `git could not propose ${input.head}: the branch does not exist.`);
        return describeBranch(input.head, head, input.base);
      }),

    findOpenPullRequest: (branch, base) =>
      serial(async () => {
        const head = await remoteHead(branch);
        if (!head) return null;
        const baseHead = await remoteHead(base);
        if (baseHead && (await isAncestor(head, baseHead))) return null; // merged: nothing left to review
        return describeBranch(branch, head, base);
      }),

    updatePullRequest: (ref: PullRequestRef) =>
      serial(async () => {
        const head = await remoteHead(ref.headBranch);
        if (!head)
          throw new AppError("not_found", `git could not update ${ref.headBranch}: the branch is gone.`);
        // The commit message is the description; commitFiles already wrote it.
        return describeBranch(ref.headBranch, head, "");
      }),

    getPullRequestState: (ref: PullRequestRef) =>
      serial(async (): Promise<PullRequestState> => {
        const head = await remoteHead(ref.headBranch);
        if (!head) return "closed";
        // Without a PR API a proposal is merged once its commit is on a base branch; look at all of them.
        const heads = (await git("list branches", ["ls-remote", "--heads", "--", options.remote]))
          .split("\n")
          .map((line) => line.split(/\s+/))
          .filter((parts) => parts[0] && parts[1] && parts[1] !== `refs/heads/${ref.headBranch}`)
          .map((parts) => parts[0] as string);
        for (const other of heads) if (await isAncestor(head, other)) return "merged";
        return "open";
      }),

    describeMerge: (ref: PullRequestRef, base: string) =>
      serial(async () => {
        const head = await remoteHead(ref.headBranch);
        const baseHead = await remoteHead(base);
        if (!head || !baseHead || !(await isAncestor(head, baseHead))) return null;
        // Oldest first: the first merge whose first parent did not have the head yet is the one that merged it.
        const merges = (
          await git("read merges", [
            "rev-list",
            "--ancestry-path",
            "--merges",
            "--reverse",
            `${head}..${baseHead}`,
          ])
        )
          .split("\n")
          .filter(Boolean)
          .slice(0, 200);
        for (const merge of merges) {
          const before = await runGit(["merge-base", "--is-ancestor", head, `${merge}^1`], { cwd: cache });
          if (before.code === 0) continue;
          const [name = "", email = "", date = ""] = (
            await git("read commit", ["show", "-s", "--format=%cn%x00%ce%x00%cI", merge])
          )
            .trim()
            .split("\0");
          return { commit: merge, by: name || email, ...(email ? { email } : {}), at: new Date(date) };
        }
        // A fast-forward leaves no merge commit and no record of who or when: the head and when it was seen.
        return { commit: head, by: "unknown (fast-forward)", at: new Date() };
      }),

    deleteBranch: (branch) =>
      serial(async () => {
        const head = await remoteHead(branch);
        if (!head) return;
        await push(`delete branch ${branch}`, `:refs/heads/${branch}`, `refs/heads/${branch}:${head}`);
      }),
  };
}
