import "server-only";

import { getPrismaOrThrow } from "@/lib/db/prisma";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import type { GitopsRepository } from "@/lib/validations/gitops";

/** How far the history backfill has read a repository: shown beside "git-commit" evidence. */
export type GitHistoryStatus = {
  repository: string;
  branch: string;
  /** Null until the first pass stored something (the keys then have no git evidence yet). */
  lastCommit: string | null;
  /** The branch head at the last pass. */
  headCommit: string | null;
  /** True once every commit up to the head seen last is read. */
  caughtUp: boolean;
  commitsRead: number;
  /** ISO time of the last pass that read commits. */
  updatedAt: string | null;
};

type CursorDb = Pick<ReturnType<typeof getPrismaOrThrow>, "gitHistoryCursor">;

/** One status per configured repository (its current base branch), in Settings order. */
export async function readGitHistoryStatus(
  options: { db?: CursorDb; repositories?: readonly GitopsRepository[] } = {},
): Promise<GitHistoryStatus[]> {
  const repositories = options.repositories ?? (await readGitopsRepositories());
  if (repositories.length === 0) return [];
  const db = options.db ?? getPrismaOrThrow();
  const cursors = await db.gitHistoryCursor.findMany({
    where: { OR: repositories.map((r) => ({ repository: r.id, branch: r.baseBranch })) },
  });
  return repositories.map((repository) => {
    const cursor = cursors.find((c) => c.repository === repository.id && c.branch === repository.baseBranch);
    return {
      repository: repository.id,
      branch: repository.baseBranch,
      lastCommit: cursor?.lastCommit ?? null,
      headCommit: cursor?.headCommit ?? null,
      caughtUp: cursor ? cursor.lastCommit === cursor.headCommit : false,
      commitsRead: cursor?.commitsRead ?? 0,
      updatedAt: cursor?.updatedAt.toISOString() ?? null,
    };
  });
}
