import "server-only";

import { createHash } from "node:crypto";
import path from "node:path";

import { getEnv } from "@/lib/config/env";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import type { GitopsRepository } from "@/lib/validations/gitops";

import {
  applyGitCommit,
  gitKeyId,
  gitKeyRows,
  gitKeyStateFrom,
  gitValueId,
  type GitCommitRef,
  type GitKeyRow,
} from "./apply-git-commit";
import { openGitHistoryRepository } from "./open-git-history-repository";
import { parseGitManifestKeys, type ParsedManifestKeys } from "./parse-git-manifest-keys";
import { readGitBlobs } from "./read-git-blobs";
import {
  isAncestorCommit,
  planCommitRange,
  readBranchHead,
  readGitCommits,
  type GitCommitChanges,
} from "./read-git-commits";

export const DEFAULT_GIT_HISTORY_MAX_COMMITS = 5000;
export const DEFAULT_GIT_HISTORY_BUDGET_MS = 60_000;

export type BackfillGitHistoryOptions = {
  /** Defaults to the app's client. */
  db?: PrismaClient;
  /** Defaults to the repositories in Settings (or the local default). */
  repositories?: readonly GitopsRepository[];
  /** At most this many commits per repository per pass (oldest first); the next pass goes on. */
  maxCommits?: number;
  /** A pass stops after the commit during which this many ms went by; the next pass goes on. */
  timeBudgetMs?: number;
  /** Fetch remote repositories first (default true); false reads their clones as last fetched. */
  fetch?: boolean;
  /** Where remote repositories are cloned; default `<SEALDECK_DATA_DIR>/git-history`. */
  cacheRoot?: string;
  env?: Record<string, string | undefined>;
};

export type GitHistoryPassStats = {
  repository: string;
  branch: string;
  /** "busy": another replica holds this repository's lock; "skipped": it cannot be read (see reason). */
  status: "updated" | "up-to-date" | "busy" | "skipped" | "failed";
  reason?: string;
  /** The stored history was dropped and read again (first sight, or the cursor was force-pushed away). */
  fromScratch: boolean;
  /** Commits read in this pass. */
  commitsRead: number;
  /** Commits of the branch still to read (a later pass). */
  remaining: number;
  /** Keys whose stored last change moved to a commit of this pass. */
  keysChanged: number;
  keysRemoved: number;
  /** Manifest versions that did not parse (their keys keep what was known). */
  unparsable: number;
  /** SealedSecrets without namespace or name in their metadata (not recorded). */
  unattributed: number;
  head: string | null;
  /** The last commit read, stored for the next pass. */
  cursor: string | null;
};

const WRITE_CHUNK = 2000;

/** Per repository and branch, so two replicas never backfill the same history at once. */
function lockId(repository: string, branch: string): string {
  const digest = createHash("sha256").update(`sealdeck.git-history\0${repository}\0${branch}`).digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}

const fits = (row: GitKeyRow) =>
  row.path.length <= 1000 && row.namespace.length <= 253 && row.name.length <= 253 && row.key.length <= 253;

type Tx = Prisma.TransactionClient;

async function writeRows(tx: Tx, repository: string, branch: string, rows: GitKeyRow[]) {
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const chunk = rows.slice(i, i + WRITE_CHUNK).map((r) => ({
      path: r.path,
      namespace: r.namespace,
      name: r.name,
      key: r.key,
      commit: r.commit,
      committed_at: r.committedAt,
      author: r.author.slice(0, 500),
      value_hash: r.valueHash,
    }));
    await tx.$executeRawUnsafe(
      `INSERT INTO git_key_changes (repository, branch, path, namespace, name, key, commit, committed_at, author, value_hash)
       SELECT $1, $2, r.path, r.namespace, r.name, r.key, r.commit, r.committed_at, r.author, r.value_hash
       FROM jsonb_to_recordset($3::jsonb) AS r(path text, namespace text, name text, key text, commit text,
         committed_at timestamptz, author text, value_hash text)
       ON CONFLICT (repository, branch, path, namespace, name, key) DO UPDATE SET commit = EXCLUDED.commit,
         committed_at = EXCLUDED.committed_at, author = EXCLUDED.author, value_hash = EXCLUDED.value_hash`,
      repository,
      branch,
      JSON.stringify(chunk),
    );
  }
}

async function deleteRows(tx: Tx, repository: string, branch: string, rows: GitKeyRow[]) {
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const chunk = rows
      .slice(i, i + WRITE_CHUNK)
      .map(({ path, namespace, name, key }) => ({ path, namespace, name, key }));
    await tx.$executeRawUnsafe(
      `DELETE FROM git_key_changes g USING jsonb_to_recordset($3::jsonb) AS r(path text, namespace text, name text, key text)
       WHERE g.repository = $1 AND g.branch = $2 AND g.path = r.path AND g.namespace = r.namespace
         AND g.name = r.name AND g.key = r.key`,
      repository,
      branch,
      JSON.stringify(chunk),
    );
  }
}

const rowId = (row: GitKeyRow) => `${row.path}\0${gitKeyId(row)}`;

/** Parses the blobs of `commits` not parsed yet into `parsed` (one `git cat-file --batch`). */
async function parseBlobs(
  dir: string,
  commits: readonly GitCommitChanges[],
  parsed: Map<string, ParsedManifestKeys>,
) {
  const blobs = [
    ...new Set(
      commits.flatMap((c) => c.files.flatMap((f) => (f.blob && !parsed.has(f.blob) ? [f.blob] : []))),
    ),
  ];
  for (const [blob, content] of await readGitBlobs(dir, blobs))
    parsed.set(blob, parseGitManifestKeys(content));
}

/**
 * For a merge: which commit of the merged branch(es) first set each ciphertext, so a key the merge
 * brings in is dated by the commit that changed it (a pull request's commit, or a whole history merged
 * with --allow-unrelated-histories) rather than by the merge. The merged side's first-parent commits
 * not already on the branch are read.
 */
async function mergeOrigins(
  dir: string,
  merge: GitCommitChanges,
  parsed: Map<string, ParsedManifestKeys>,
): Promise<Map<string, GitCommitRef>> {
  const origins = new Map<string, GitCommitRef>();
  const [first, ...others] = merge.parents;
  for (const other of others) {
    const side = await readGitCommits(dir, other, first ?? null);
    await parseBlobs(dir, side, parsed);
    for (const commit of side)
      for (const file of commit.files) {
        const keys = file.blob ? parsed.get(file.blob) : undefined;
        if (!keys?.ok) continue;
        for (const key of keys.keys) if (!origins.has(gitValueId(key))) origins.set(gitValueId(key), commit);
      }
  }
  return origins;
}

/** One bounded, incremental pass over one repository's base branch. */
async function backfillRepository(
  db: PrismaClient,
  repository: GitopsRepository,
  options: Required<
    Pick<BackfillGitHistoryOptions, "maxCommits" | "timeBudgetMs" | "fetch" | "cacheRoot">
  > & {
    env?: Record<string, string | undefined>;
  },
): Promise<GitHistoryPassStats> {
  const branch = repository.baseBranch;
  const stats: GitHistoryPassStats = {
    repository: repository.id,
    branch,
    status: "up-to-date",
    fromScratch: false,
    commitsRead: 0,
    remaining: 0,
    keysChanged: 0,
    keysRemoved: 0,
    unparsable: 0,
    unattributed: 0,
    head: null,
    cursor: null,
  };
  const opened = await openGitHistoryRepository(repository, options);
  if (!opened.ok) return { ...stats, status: "skipped", reason: opened.reason };
  const { dir } = opened;
  const head = await readBranchHead(dir, branch);
  if (!head) return { ...stats, status: "skipped", reason: `the branch ${branch} does not exist` };
  stats.head = head;
  const where = { repository_branch: { repository: repository.id, branch } };
  // Most passes find nothing new: answer those without a transaction.
  const seen = await db.gitHistoryCursor.findUnique({ where });
  if (seen?.lastCommit === head) return { ...stats, cursor: head };

  const started = Date.now();
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
        "SELECT pg_try_advisory_xact_lock($1::bigint) AS locked",
        lockId(repository.id, branch),
      );
      if (!lock?.locked) return { ...stats, status: "busy" as const };
      const cursor = await tx.gitHistoryCursor.findUnique({ where });
      if (cursor?.lastCommit === head) return { ...stats, cursor: head };
      const fromScratch = !cursor || !(await isAncestorCommit(dir, cursor.lastCommit, head));
      const since = fromScratch ? null : (cursor?.lastCommit ?? null);
      const stored: GitKeyRow[] = fromScratch
        ? []
        : (await tx.gitKeyChange.findMany({ where: { repository: repository.id, branch } })).map((r) => ({
            path: r.path,
            namespace: r.namespace,
            name: r.name,
            key: r.key,
            valueHash: r.valueHash,
            commit: r.commit,
            committedAt: r.committedAt.toISOString(),
            author: r.author,
          }));
      const state = gitKeyStateFrom(stored);
      const plan = await planCommitRange(dir, head, since, options.maxCommits);
      const commits = plan.last ? await readGitCommits(dir, plan.last, since) : [];

      const parsed = new Map<string, ParsedManifestKeys>();
      let last: string | null = since;
      let read = 0;
      for (let i = 0; i < commits.length;) {
        // Read the blobs of the next commits in one batch (a commit at a time would spawn git per file).
        const batch = commits.slice(i, i + 100);
        await parseBlobs(dir, batch, parsed);
        let outOfTime = false;
        for (const commit of batch) {
          const files = new Map(
            commit.files.map((f) => [f.path, f.blob ? (parsed.get(f.blob) ?? { ok: false as const }) : null]),
          );
          const bringsKeys = [...files.values()].some((f) => f?.ok && f.keys.length > 0);
          const origins =
            commit.parents.length > 1 && bringsKeys ? await mergeOrigins(dir, commit, parsed) : null;
          const applied = applyGitCommit(
            state,
            commit,
            files,
            (key) => origins?.get(gitValueId(key)) ?? null,
          );
          stats.keysChanged += applied.changed;
          stats.keysRemoved += applied.removed;
          stats.unparsable += applied.unparsable;
          stats.unattributed += applied.unattributed;
          last = commit.commit;
          read += 1;
          i += 1;
          if (Date.now() - started >= options.timeBudgetMs) {
            outOfTime = true;
            break;
          }
        }
        if (outOfTime) break;
        // Parsed blobs of earlier batches are mostly superseded; keep memory flat on long histories.
        if (parsed.size > 20_000) parsed.clear();
      }
      if (!last) return { ...stats, status: "up-to-date" as const };

      const final = gitKeyRows(state).filter(fits);
      if (fromScratch) {
        await tx.gitKeyChange.deleteMany({ where: { repository: repository.id, branch } });
        await writeRows(tx, repository.id, branch, final);
      } else {
        const before = new Map(stored.map((r) => [rowId(r), r]));
        const after = new Set(final.map(rowId));
        await deleteRows(
          tx,
          repository.id,
          branch,
          stored.filter((r) => !after.has(rowId(r))),
        );
        await writeRows(
          tx,
          repository.id,
          branch,
          final.filter((r) => {
            const old = before.get(rowId(r));
            return !old || old.commit !== r.commit || old.valueHash !== r.valueHash;
          }),
        );
      }
      await tx.gitHistoryCursor.upsert({
        where,
        create: { repository: repository.id, branch, lastCommit: last, headCommit: head, commitsRead: read },
        update: {
          lastCommit: last,
          headCommit: head,
          commitsRead: fromScratch ? read : { increment: read },
          updatedAt: new Date(),
        },
      });
      return {
        ...stats,
        status: "updated" as const,
        fromScratch,
        commitsRead: read,
        remaining: plan.total - read,
        cursor: last,
      };
    },
    { maxWait: 10_000, timeout: options.timeBudgetMs + 120_000 },
  );
}

/**
 * One bounded, incremental pass of the GitOps history backfill over every configured repository: reads
 * the base branch's first-parent commits after the stored cursor (all of them on first sight, or when the
 * cursor is no longer an ancestor: a force-push), at most `maxCommits` and about `timeBudgetMs` per
 * repository, and stores per manifest and key the last commit that changed its ciphertext. One
 * repository failing does not stop the others; its stats say why (never a file's content).
 */
export async function backfillGitHistory(
  options: BackfillGitHistoryOptions = {},
): Promise<GitHistoryPassStats[]> {
  const db = options.db ?? getPrismaOrThrow();
  const repositories = options.repositories ?? (await readGitopsRepositories());
  const settings = {
    maxCommits: options.maxCommits ?? DEFAULT_GIT_HISTORY_MAX_COMMITS,
    timeBudgetMs: options.timeBudgetMs ?? DEFAULT_GIT_HISTORY_BUDGET_MS,
    fetch: options.fetch ?? true,
    cacheRoot: options.cacheRoot ?? path.resolve(getEnv().SEALDECK_DATA_DIR, "git-history"),
    env: options.env,
  };
  const results: GitHistoryPassStats[] = [];
  for (const repository of repositories) {
    try {
      results.push(await backfillRepository(db, repository, settings));
    } catch (error) {
      results.push({
        repository: repository.id,
        branch: repository.baseBranch,
        status: "failed",
        reason: error instanceof Error ? error.message.split("\n")[0] : String(error),
        fromScratch: false,
        commitsRead: 0,
        remaining: 0,
        keysChanged: 0,
        keysRemoved: 0,
        unparsable: 0,
        unattributed: 0,
        head: null,
        cursor: null,
      });
    }
  }
  return results;
}
