import "server-only";
import { sign } from "node:crypto";
import type pg from "pg";
import { GENESIS_PREV_HASH } from "./canonical-encoding";
import type { AuditSigningKey } from "./load-audit-signing-key";
import { createCheckpointKeyring } from "./checkpoint-keyring";
import { readTrustedCheckpoint } from "./read-trusted-checkpoint";
import { encodeCheckpoint, type SignedCheckpoint } from "./verify-checkpoint";

// Signs the chain's current head and appends the checkpoint. Checkpoints chain through their previous
// signature, so two made at once must not both follow the same one: a transaction-scoped advisory lock
// (first 8 bytes of sha256("sealdeck.audit_checkpoints")) serializes them across replicas.
const CHECKPOINT_LOCK_ID = "-1404026102906322059";

type Head = { seq: string; hash: string; time: string };

/** Signs the head of the chain (seq 0 and the genesis hash when it is empty) and stores the checkpoint. */
export async function signCheckpoint(
  pool: pg.Pool,
  key: AuditSigningKey,
  now: Date = new Date(),
): Promise<SignedCheckpoint> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [CHECKPOINT_LOCK_ID]);
      // Chained to the newest checkpoint this key signed, never to a row someone else appended.
      const { checkpoint: previous } = await readTrustedCheckpoint(
        client,
        createCheckpointKeyring([key.publicKeyPem]),
      );
      const { rows } = await client.query<Head>(
        `SELECT seq::text AS seq, encode(hash, 'hex') AS hash,
           to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time
         FROM audit_events ORDER BY audit_events.seq DESC LIMIT 1`,
      );
      const head = rows[0];
      const unsigned = {
        seq: head?.seq ?? "0",
        hash: head?.hash ?? GENESIS_PREV_HASH,
        headTime: head?.time ?? null,
        createdAt: now.toISOString(),
        prevSignature: previous?.signature ?? null,
        keyId: key.keyId,
      };
      const signature = sign(null, encodeCheckpoint(unsigned), key.privateKey).toString("base64");
      await client.query(
        `INSERT INTO audit_checkpoints (seq, hash, head_time, created_at, prev_signature, signature, key_id, public_key)
         VALUES ($1, decode($2, 'hex'), $3, $4, decode($5, 'base64'), decode($6, 'base64'), $7, $8)`,
        [
          unsigned.seq,
          unsigned.hash,
          unsigned.headTime,
          unsigned.createdAt,
          unsigned.prevSignature,
          signature,
          key.keyId,
          key.publicKeyPem,
        ],
      );
      await client.query("COMMIT");
      return { ...unsigned, signature, publicKey: key.publicKeyPem };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}
