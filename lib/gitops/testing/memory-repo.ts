import "server-only";

import { createHash } from "node:crypto";

// The state behind the forge doubles: branches, commits and files as flat path → content maps, with
// git's own blob ids so a "version" means the same thing it does on the real hosts.

export type MemoryCommit = {
  sha: string;
  parents: string[];
  files: Map<string, string>;
  message: string;
  author: { name: string; email: string };
};

export function blobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest("hex");
}

export class MemoryRepo {
  readonly commits = new Map<string, MemoryCommit>();
  readonly branches = new Map<string, string>();
  /** Per path, the last commit that changed it (GitLab's `last_commit_id`), per commit. */
  private counter = 0;

  constructor(initial: Record<string, string>, base = "main") {
    const root = this.commit([], new Map(Object.entries(initial)), "Initial", {
      name: "Init",
      email: "init@example.test",
    });
    this.branches.set(base, root.sha);
  }

  commit(
    parents: string[],
    files: Map<string, string>,
    message: string,
    author: { name: string; email: string },
  ): MemoryCommit {
    const sha = createHash("sha1").update(`commit ${++this.counter} ${message}`).digest("hex");
    const commit = { sha, parents, files, message, author };
    this.commits.set(sha, commit);
    return commit;
  }

  /** A branch name or commit sha → commit. */
  resolve(ref: string): MemoryCommit | undefined {
    const sha = this.branches.get(ref) ?? ref;
    return this.commits.get(sha);
  }

  /** Commits `changes` on top of `branch` as someone else would. */
  push(branch: string, changes: Record<string, string>, message = "Edit by someone else"): string {
    const head = this.resolve(branch);
    if (!head) throw new Error(`no branch ${branch}`);
    const files = new Map(head.files);
    for (const [path, content] of Object.entries(changes)) files.set(path, content);
    const commit = this.commit([head.sha], files, message, { name: "Other", email: "other@example.test" });
    this.branches.set(branch, commit.sha);
    return commit.sha;
  }

  /** The newest commit reachable from `ref` that changed `path`. */
  lastCommitFor(ref: string, path: string): string | undefined {
    let commit = this.resolve(ref);
    while (commit) {
      const parent = commit.parents[0] ? this.commits.get(commit.parents[0]) : undefined;
      if (commit.files.get(path) !== parent?.files.get(path)) return commit.sha;
      commit = parent;
    }
    return undefined;
  }

  isAncestor(ancestor: string, of: string): boolean {
    const queue = [of];
    while (queue.length > 0) {
      const sha = queue.pop() as string;
      if (sha === ancestor) return true;
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }
}
