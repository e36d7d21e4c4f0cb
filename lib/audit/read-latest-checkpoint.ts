import type pg from "pg";
import type { SignedCheckpoint } from "./verify-checkpoint";

// Checkpoints as text (hex, base64, ISO times): the form they are signed, exported and verified in.
export const CHECKPOINT_SELECT_LIST = `seq::text AS seq, encode(hash, 'hex') AS hash,
  to_char(head_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "headTime",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  encode(prev_signature, 'base64') AS "prevSignature", encode(signature, 'base64') AS signature,
  key_id AS "keyId", public_key AS "publicKey"`;

/** The newest signed checkpoint, or null when none was made yet. */
export async function readLatestCheckpoint(
  client: pg.ClientBase | pg.Pool,
): Promise<SignedCheckpoint | null> {
  const { rows } = await client.query<SignedCheckpoint>(
    `SELECT ${CHECKPOINT_SELECT_LIST} FROM audit_checkpoints ORDER BY id DESC LIMIT 1`,
  );
  const row = rows[0];
  // encode(..., 'base64') wraps lines every 76 characters; signatures are compared unwrapped.
  return row
    ? {
        ...row,
        signature: row.signature.replace(/\n/g, ""),
        prevSignature: row.prevSignature?.replace(/\n/g, "") ?? null,
      }
    : null;
}
