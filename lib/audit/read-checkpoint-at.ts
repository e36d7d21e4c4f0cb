import type pg from "pg";
import { CHECKPOINT_SELECT_LIST } from "./read-latest-checkpoint";
import type { SignedCheckpoint } from "./verify-checkpoint";

/** The newest signed checkpoint of head #seq, or null: what anchors a chain pruned through #seq. */
export async function readCheckpointAt(
  client: pg.ClientBase | pg.Pool,
  seq: string,
): Promise<SignedCheckpoint | null> {
  const { rows } = await client.query<SignedCheckpoint>(
    `SELECT ${CHECKPOINT_SELECT_LIST} FROM audit_checkpoints WHERE seq = $1::bigint ORDER BY id DESC LIMIT 1`,
    [seq],
  );
  const row = rows[0];
  return row
    ? {
        ...row,
        signature: row.signature.replace(/\n/g, ""),
        prevSignature: row.prevSignature?.replace(/\n/g, "") ?? null,
      }
    : null;
}
