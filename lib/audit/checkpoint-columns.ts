import type { SignedCheckpoint } from "./verify-checkpoint";

// Checkpoints as text (hex, base64, ISO times): the form they are signed, exported and verified in.
// Which row to believe is read-trusted-checkpoint.ts' business: any row may be forged.
export const CHECKPOINT_SELECT_LIST = `seq::text AS seq, encode(hash, 'hex') AS hash,
  to_char(head_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "headTime",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  encode(prev_signature, 'base64') AS "prevSignature", encode(signature, 'base64') AS signature,
  key_id AS "keyId", public_key AS "publicKey"`;

/** encode(..., 'base64') wraps lines every 76 characters; signatures are compared unwrapped. */
export function normaliseCheckpointRow<T extends SignedCheckpoint>(row: T): T {
  return {
    ...row,
    signature: row.signature.replace(/\n/g, ""),
    prevSignature: row.prevSignature?.replace(/\n/g, "") ?? null,
  };
}
