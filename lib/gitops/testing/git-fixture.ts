import "server-only";

import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { SealedSecretManifest } from "@/lib/sealing";

import { runGit } from "../run-git";

// A real bare repository in a temp dir, and a scratch clone to act as "another engineer" pushing to it.
// Identities are passed with -c so the machine needs no git config.

const IDENTITY = ["-c", "user.name=Other Engineer", "-c", "user.email=other@example.test"];

export type GitFixture = {
  root: string;
  remote: string;
  /** Commits `files` on `branch` as another person would (clone, edit, push); returns the new head. */
  push(branch: string, files: Record<string, string>, message?: string): Promise<string>;
  read(ref: string, file: string): Promise<string | null>;
  head(branch: string): Promise<string | null>;
  branches(): Promise<string[]>;
  log(ref: string, format?: string): Promise<string[]>;
  /** Fast-forwards `into` to `from`, the "merge" a user does for plain-git proposals. */
  fastForward(into: string, from: string): Promise<void>;
  cleanup(): Promise<void>;
};

async function git(args: string[], cwd: string): Promise<string> {
  const result = await runGit(args, { cwd });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

export async function createGitFixture(initial: Record<string, string>): Promise<GitFixture> {
  const root = await mkdtemp(path.join(tmpdir(), "sealdeck-gitops-test-"));
  const remote = path.join(root, "remote.git");
  await git(["init", "--bare", "--quiet", "--initial-branch=main", remote], root);

  const fixture: GitFixture = {
    root,
    remote,
    async push(branch, files, message = "Edit by another engineer") {
      const work = path.join(root, `work-${randomBytes(4).toString("hex")}`);
      await git(["init", "--quiet", "--initial-branch=main", work], root);
      const exists =
        (await runGit(["ls-remote", "--exit-code", remote, `refs/heads/${branch}`], { cwd: root })).code ===
        0;
      if (exists) {
        await git(["fetch", "--quiet", remote, branch], work);
        await git(["checkout", "--quiet", "-b", branch, "FETCH_HEAD"], work);
      } else {
        await git(["checkout", "--quiet", "-b", branch], work);
      }
      for (const [file, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(work, file)), { recursive: true });
        await writeFile(path.join(work, file), content);
      }
      await git(["add", "-A"], work);
      await git([...IDENTITY, "commit", "--quiet", "-m", message], work);
      await git(["push", "--quiet", remote, `HEAD:refs/heads/${branch}`], work);
      const head = (await git(["rev-parse", "HEAD"], work)).trim();
      await rm(work, { recursive: true, force: true });
      return head;
    },
    async read(ref, file) {
      const result = await runGit(["show", `${ref}:${file}`], { cwd: remote });
      return result.code === 0 ? result.stdout : null;
    },
    async head(branch) {
      const result = await runGit(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], {
        cwd: remote,
      });
      return result.code === 0 ? result.stdout.trim() : null;
    },
    async branches() {
      return (await git(["for-each-ref", "--format=%(refname:short)", "refs/heads"], remote))
        .split("\n")
        .filter(Boolean)
        .sort();
    },
    async log(ref, format = "%s") {
      return (await git(["log", `--format=${format}`, ref], remote)).split("\n").filter(Boolean);
    },
    async fastForward(into, from) {
      const target = await fixture.head(from);
      if (!target) throw new Error(`no branch ${from}`);
      await git(["merge-base", "--is-ancestor", `refs/heads/${into}`, target], remote);
      await git(["update-ref", `refs/heads/${into}`, target], remote);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  await fixture.push("main", initial, "Initial manifests");
  return fixture;
}

/** A SealedSecret with opaque fake ciphertext: merging and formatting never decrypt. */
export function fakeSealedSecret(
  namespace: string,
  name: string,
  values: Record<string, string>,
  scope: "strict" | "namespace-wide" | "cluster-wide" = "strict",
): SealedSecretManifest {
  const annotations: Record<string, string> = { "sealdeck.io/sealed-with": "ab".repeat(32) };
  if (scope === "namespace-wide") annotations["sealedsecrets.bitnami.com/namespace-wide"] = "true";
  if (scope === "cluster-wide") annotations["sealedsecrets.bitnami.com/cluster-wide"] = "true";
  return {
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: { annotations, name, namespace },
    spec: {
      encryptedData: Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b))),
      template: { metadata: { name, namespace }, type: "Opaque" },
    },
  };
}
