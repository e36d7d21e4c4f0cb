import "server-only";
import type pg from "pg";
import { CHECKPOINT_SELECT_LIST, normaliseCheckpointRow } from "./checkpoint-columns";
import { createCheckpointKeyring, isTrustedCheckpoint } from "./checkpoint-keyring";
import type { SignedCheckpoint } from "./verify-checkpoint";

// Retention. Events older than the cut-off are deleted through the newest trusted checkpoint whose
// event is older than it, never past one: the remaining chain then starts at an event whose prev_hash
// is a signed hash, and verification anchors there (verify-database-chain.ts). Needs the tables' owner
// (the app's runtime role has no DELETE); the audit_prune() SQL function checks the event again.
//
// The app's runtime role can append rows to audit_checkpoints, so nothing in a row is believed: the
// age comes from the event's own `time` (set by the chain trigger, never by the inserter), and a row
// counts only when its Ed25519 signature verifies with a configured public key (Postgres cannot check
// Ed25519, so that check is here).

export type PruneResult = { throughSeq: string | null; deleted: number };

const PAGE = 200;

type CheckpointRow = SignedCheckpoint & { id: string };

/** Deletes the events up to the newest trusted checkpoint whose event is older than `before`. */
export async function pruneAuditEvents(
  owner: pg.ClientBase | pg.Pool,
  options: { before: Date; trustedPublicKeys: readonly string[] },
): Promise<PruneResult> {
  const keyring = createCheckpointKeyring(options.trustedPublicKeys);
  const keyIds = [...keyring.keys()];
  let afterSeq: string | null = null;
  let afterId: string | null = null;
  let throughSeq: string | null = null;
  while (throughSeq === null && keyIds.length > 0) {
    const params: unknown[] = [options.before.toISOString(), keyIds, afterSeq, afterId];
    const { rows } = await owner.query<CheckpointRow>(
      `SELECT id::text AS id, ${CHECKPOINT_SELECT_LIST} FROM audit_checkpoints c
        WHERE c.seq > 0 AND c.key_id = ANY($2::text[])
          AND EXISTS (SELECT 1 FROM audit_events e WHERE e.seq = c.seq AND e.hash = c.hash AND e.time < $1)
          AND ($3::bigint IS NULL OR (c.seq, c.id) < ($3::bigint, $4::bigint))
        ORDER BY c.seq DESC, c.id DESC LIMIT ${PAGE}`,
      params,
    );
    for (const row of rows) {
      const { id: _id, ...checkpoint } = normaliseCheckpointRow(row);
      if (isTrustedCheckpoint(checkpoint, keyring)) {
        throughSeq = checkpoint.seq;
        break;
      }
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) break;
    afterSeq = last.seq;
    afterId = last.id;
  }
  if (throughSeq === null) return { throughSeq: null, deleted: 0 };
  const result = await owner.query<{ deleted: string }>("SELECT audit_prune($1::bigint)::text AS deleted", [
    throughSeq,
  ]);
  return { throughSeq, deleted: Number(result.rows[0]?.deleted ?? 0) };
}
