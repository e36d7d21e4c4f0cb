import "server-only";
import type pg from "pg";

// Retention. Events older than the cut-off are deleted through the newest signed checkpoint taken
// before it, never past one: the remaining chain then starts at an event whose prev_hash is a signed
// hash, and verification anchors there (verify-database-chain.ts). Needs the tables' owner (the app's
// runtime role has no DELETE); the audit_prune() SQL function checks the checkpoint again.

export type PruneResult = { throughSeq: string | null; deleted: number };

/** Deletes the events up to the newest checkpoint whose head is older than `before`. */
export async function pruneAuditEvents(
  owner: pg.ClientBase | pg.Pool,
  options: { before: Date },
): Promise<PruneResult> {
  const { rows } = await owner.query<{ seq: string }>(
    `SELECT c.seq::text AS seq FROM audit_checkpoints c
       JOIN audit_events e ON e.seq = c.seq AND e.hash = c.hash
      WHERE c.seq > 0 AND c.head_time < $1
      ORDER BY c.seq DESC LIMIT 1`,
    [options.before.toISOString()],
  );
  const throughSeq = rows[0]?.seq;
  if (!throughSeq) return { throughSeq: null, deleted: 0 };
  const result = await owner.query<{ deleted: string }>("SELECT audit_prune($1::bigint)::text AS deleted", [
    throughSeq,
  ]);
  return { throughSeq, deleted: Number(result.rows[0]?.deleted ?? 0) };
}
