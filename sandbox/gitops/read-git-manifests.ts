import "server-only";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../server/kube-object";
import { isRecord } from "../server/kube-object";

const run = promisify(execFile);

async function git(repo: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", repo, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The commit `main` points at, or undefined while the repository or branch does not exist yet. */
export async function readMainRevision(repo: string): Promise<string | undefined> {
  try {
    return (await git(repo, "rev-parse", "--verify", "-q", "refs/heads/main")).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every Kubernetes object in the YAML/JSON files of a commit, read with `git show` (no checkout); only
 * under `path` when it is given (an Application's `source.path`).
 */
export async function readManifestsAt(
  repo: string,
  revision: string,
  path = ".",
): Promise<{ objects: KubeObject[]; errors: string[] }> {
  const under = path.replace(/^\.?\/+|\/+$/g, "");
  const files = (
    await git(
      repo,
      "ls-tree",
      "-r",
      "--name-only",
      revision,
      ...(under && under !== "." ? ["--", `${under}/`] : []),
    )
  )
    .split("\n")
    .filter((f) => /\.(ya?ml|json)$/.test(f));
  const objects: KubeObject[] = [];
  const errors: string[] = [];
  const add = (value: unknown) => {
    if (!isRecord(value)) return;
    if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items))
      value.items.forEach(add);
    else if (
      typeof value.kind === "string" &&
      typeof value.apiVersion === "string" &&
      isRecord(value.metadata)
    )
      objects.push(value as KubeObject);
  };
  for (const file of files) {
    const text = await git(repo, "show", `${revision}:${file}`);
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) errors.push(`${file}: ${document.errors[0]!.message}`);
      else add(document.toJS());
    }
  }
  return { objects, errors };
}
