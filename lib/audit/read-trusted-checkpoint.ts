import type pg from "pg";
import { isTrustedCheckpoint, type CheckpointKeyring } from "./checkpoint-keyring";
import { CHECKPOINT_SELECT_LIST, normaliseCheckpointRow } from "./checkpoint-columns";
import type { SignedCheckpoint } from "./verify-checkpoint";

const PAGE = 200;

type CheckpointRow = SignedCheckpoint & { id: string };

export type TrustedCheckpoint = {
  /** The newest checkpoint (of head #seq, when given) whose signature verifies with a trusted key. */
  checkpoint: SignedCheckpoint | null;
  /** Rows newer than it (of that head, when given) that are not trusted: ignored, reported. */
  untrusted: number;
};

/**
 * Reads the newest trusted checkpoint, newest row first, skipping rows whose signature does not verify
 * with a key of `keyring` (forged, or signed by a key nobody configured). No server-only: the CLI's
 * `audit verify --database` uses it too.
 */
export async function readTrustedCheckpoint(
  client: pg.ClientBase | pg.Pool,
  keyring: CheckpointKeyring,
  options: { seq?: string } = {},
): Promise<TrustedCheckpoint> {
  const keyIds = [...keyring.keys()];
  const atSeq = options.seq === undefined ? "" : "AND seq = $3::bigint";
  let before: string | null = null;
  let found: SignedCheckpoint | null = null;
  let foundId: string | null = null;
  while (!found && keyIds.length > 0) {
    const params: unknown[] = options.seq === undefined ? [keyIds, before] : [keyIds, before, options.seq];
    const { rows } = await client.query<CheckpointRow>(
      `SELECT id::text AS id, ${CHECKPOINT_SELECT_LIST} FROM audit_checkpoints
        WHERE key_id = ANY($1::text[]) AND ($2::bigint IS NULL OR id < $2::bigint) ${atSeq}
        ORDER BY audit_checkpoints.id DESC LIMIT ${PAGE}`,
      params,
    );
    for (const row of rows) {
      const { id, ...checkpoint } = normaliseCheckpointRow(row);
      if (isTrustedCheckpoint(checkpoint, keyring)) {
        found = checkpoint;
        foundId = id;
        break;
      }
    }
    if (rows.length < PAGE) break;
    before = rows[rows.length - 1]!.id;
  }
  const countParams: unknown[] = [foundId];
  if (options.seq !== undefined) countParams.push(options.seq);
  const { rows: newer } = await client.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM audit_checkpoints
      WHERE ($1::bigint IS NULL OR id > $1::bigint) ${options.seq === undefined ? "" : "AND seq = $2::bigint"}`,
    countParams,
  );
  return { checkpoint: found, untrusted: Number(newer[0]?.count ?? 0) };
}
