import "server-only";
import { getPrismaOrThrow } from "@/lib/db/prisma";

// Stand-in with rot-git's signature until its backfill lands (then its file replaces this one): reads
// the backfill's table when it exists, and nothing otherwise.

export type GitKeyChange = {
  repository: string;
  cluster: string | null;
  namespace: string;
  name: string;
  key: string;
  commit: string;
  committedAt: string;
  author: string;
  path: string;
  url: string | null;
};

export async function readGitKeyChanges(): Promise<GitKeyChange[]> {
  const db = getPrismaOrThrow();
  const [table] = await db.$queryRawUnsafe<{ present: boolean }[]>(
    "SELECT to_regclass('git_key_changes') IS NOT NULL AS present",
  );
  if (!table?.present) return [];
  return db.$queryRawUnsafe<GitKeyChange[]>(
    `SELECT DISTINCT ON (repository, namespace, name, key) repository, NULL::text AS cluster, namespace, name,
       key, commit, to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "committedAt",
       author, path, NULL::text AS url
     FROM git_key_changes ORDER BY repository, namespace, name, key, committed_at DESC`,
  );
}
