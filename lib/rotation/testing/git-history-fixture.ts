import "server-only";

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { runGit } from "@/lib/gitops/run-git";

// A real repository with backdated commits, for the history backfill's tests: each commit has a known
// committer date and author, so the dates the backfill reads back are exact.

export type HistoryFixture = {
  dir: string;
  /**
   * Writes (string) or deletes (null) files and commits them on the current branch; returns the commit.
   * `message` defaults to "change at <date>".
   */
  commit(
    date: string,
    author: string,
    files: Record<string, string | null>,
    message?: string,
  ): Promise<string>;
  git(...args: string[]): Promise<string>;
  cleanup(): Promise<void>;
};

/** `at`: the repository's folder (made, and removed by cleanup); default a new temp folder. */
export async function createHistoryFixture(at?: string): Promise<HistoryFixture> {
  const root = at ? path.dirname(at) : await mkdtemp(path.join(tmpdir(), "sealdeck-git-history-"));
  const dir = at ?? path.join(root, "gitops");
  const git = async (...args: string[]) => {
    const result = await runGit(args, { cwd: dir });
    if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout.trim();
  };
  await mkdir(dir, { recursive: true });
  await git("init", "--quiet", "--initial-branch=main");
  return {
    dir,
    git,
    async commit(date, author, files, message) {
      for (const [file, content] of Object.entries(files)) {
        const full = path.join(dir, file);
        if (content === null) await rm(full);
        else {
          await mkdir(path.dirname(full), { recursive: true });
          await writeFile(full, content);
        }
      }
      await git("add", "--all");
      const identity = {
        GIT_AUTHOR_NAME: author,
        GIT_AUTHOR_EMAIL: `${author.toLowerCase()}@example.test`,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: author,
        GIT_COMMITTER_EMAIL: `${author.toLowerCase()}@example.test`,
        GIT_COMMITTER_DATE: date,
      };
      const result = await runGit(
        ["commit", "--quiet", "--allow-empty", "-m", message ?? `change at ${date}`],
        {
          cwd: dir,
          env: identity,
        },
      );
      if (result.code !== 0) throw new Error(`git commit: ${result.stderr}`);
      return git("rev-parse", "HEAD");
    },
    cleanup: () => rm(at ?? root, { recursive: true, force: true }),
  };
}

/** A SealedSecret manifest with made-up ciphertexts (fixtures hold no real one). */
export function sealedSecretYaml(
  namespace: string,
  name: string,
  data: Record<string, string>,
  options: { templateOnly?: boolean; annotations?: Record<string, string> } = {},
): string {
  const annotations = Object.entries(options.annotations ?? {})
    .map(([key, value]) => `\n    ${key}: ${JSON.stringify(value)}`)
    .join("");
  const metadata = options.templateOnly
    ? "metadata: {}"
    : `metadata:\n  name: ${name}\n  namespace: ${namespace}${annotations ? `\n  annotations:${annotations}` : ""}`;
  const template = options.templateOnly
    ? `  template:\n    metadata:\n      name: ${name}\n      namespace: ${namespace}\n`
    : "";
  const keys = Object.entries(data)
    .map(([key, value]) => `    ${key}: ${value}`)
    .join("\n");
  return `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n${metadata}\nspec:\n${template}  encryptedData:\n${keys}\n`;
}
