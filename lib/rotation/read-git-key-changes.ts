import "server-only";

import { getPrismaOrThrow } from "@/lib/db/prisma";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import type { GitopsRepository } from "@/lib/validations/gitops";

import { compileClusterFromGitPath } from "./cluster-from-git-path";
import { gitCommitUrl } from "./git-commit-url";

/** The last commit of a repository's base branch that changed one key of one SealedSecret (evidence "git-commit"). */
export type GitKeyChange = {
  /** The repository's id in Settings. */
  repository: string;
  /** From the file's folder and the repository's path templates; null: whichever cluster has namespace/name. */
  cluster: string | null;
  namespace: string;
  name: string;
  key: string;
  commit: string;
  /** Committer date, ISO. */
  committedAt: string;
  author: string;
  /** The manifest file, relative to the repository's root. */
  path: string;
  /** The commit's page on a hosted provider; null for plain git. */
  url: string | null;
  /** SHA-256 (hex) of the ciphertext the commit set, as observed_rotations.value_hash hashes it. */
  valueHash: string;
};

type GitKeyChangeDb = Pick<ReturnType<typeof getPrismaOrThrow>, "gitKeyChange">;

export type ReadGitKeyChangesOptions = {
  /** Defaults to the app's client. */
  db?: GitKeyChangeDb;
  /** Defaults to the repositories in Settings (or the local default). */
  repositories?: readonly GitopsRepository[];
};

/**
 * The latest change per (repository, cluster, namespace, name, key) the history backfill stored, for the
 * repositories configured now and their current base branch. A key held in several files that map to
 * the same cluster (or to none) counts its latest change.
 */
export async function readGitKeyChanges(options: ReadGitKeyChangesOptions = {}): Promise<GitKeyChange[]> {
  const repositories = options.repositories ?? (await readGitopsRepositories());
  if (repositories.length === 0) return [];
  const db = options.db ?? getPrismaOrThrow();
  const rows = await db.gitKeyChange.findMany({
    where: { OR: repositories.map((r) => ({ repository: r.id, branch: r.baseBranch })) },
    select: {
      repository: true,
      path: true,
      namespace: true,
      name: true,
      key: true,
      commit: true,
      committedAt: true,
      author: true,
      valueHash: true,
    },
  });
  const byId = new Map(
    repositories.map((r) => [r.id, { repository: r, clusterOf: compileClusterFromGitPath(r.pathTemplates) }]),
  );
  const latest = new Map<string, GitKeyChange>();
  for (const row of rows) {
    const known = byId.get(row.repository);
    if (!known) continue;
    const { repository, clusterOf } = known;
    const change: GitKeyChange = {
      repository: row.repository,
      cluster: clusterOf(row.path),
      namespace: row.namespace,
      name: row.name,
      key: row.key,
      commit: row.commit,
      committedAt: row.committedAt.toISOString(),
      author: row.author,
      path: row.path,
      url: gitCommitUrl(repository, row.commit),
      valueHash: row.valueHash,
    };
    const id = JSON.stringify([change.repository, change.cluster, change.namespace, change.name, change.key]);
    const seen = latest.get(id);
    if (!seen || seen.committedAt < change.committedAt) latest.set(id, change);
  }
  return [...latest.values()];
}
