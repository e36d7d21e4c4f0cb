import "server-only";
import type pg from "pg";
import { textRowToEvent } from "./audit-event-columns";
import { readCheckpointAt } from "./read-checkpoint-at";
import { readLatestCheckpoint } from "./read-latest-checkpoint";
import { streamAuditRows } from "./stream-audit-rows";
import {
  verifyCheckpointSignature,
  type CheckpointSignatureCheck,
  type SignedCheckpoint,
} from "./verify-checkpoint";
import { ChainVerifier, type ChainExpectations, type ChainVerification } from "./verify-chain";

export type DatabaseChainVerification = ChainVerification & {
  checkpoint: SignedCheckpoint | null;
  checkpointSignature: CheckpointSignatureCheck | null;
};

/**
 * Verifies the live audit_events table from its first event (#1, or the first after a retention cut,
 * anchored by the signed checkpoint it was cut at): every hash, every link, no gaps, and the
 * latest signed checkpoint (when there is one) still matches the row it signed, so deleting or
 * rewriting the newest events is caught too. Pass `publicKeyPem` to pin the checkpoint's key, and
 * `inTransaction` to read within the client's open transaction.
 */
export async function verifyDatabaseChain(
  client: pg.ClientBase,
  options: { publicKeyPem?: string; inTransaction?: boolean } = {},
): Promise<DatabaseChainVerification> {
  const checkpoint = await readLatestCheckpoint(client);
  const checkpointSignature = checkpoint ? verifyCheckpointSignature(checkpoint, options.publicKeyPem) : null;

  // A chain pruned by retention starts after a signed checkpoint: its first prev_hash must be that
  // checkpoint's hash. Without such a checkpoint the missing start is a deletion.
  const { rows: firstRows } = await client.query<{ first: string | null }>(
    "SELECT min(seq)::text AS first FROM audit_events",
  );
  const first = firstRows[0]?.first ?? null;
  let expectations: ChainExpectations = { contiguous: true, fromGenesis: true };
  const anchor =
    first !== null && first !== "1" ? await readCheckpointAt(client, (BigInt(first) - 1n).toString()) : null;
  if (anchor && first !== null) {
    const anchorSignature = verifyCheckpointSignature(anchor, options.publicKeyPem);
    if (!anchorSignature.ok) {
      return {
        ok: false,
        count: 0,
        firstSeq: null,
        lastSeq: null,
        firstPrevHash: null,
        lastHash: null,
        broken: {
          seq: anchor.seq,
          position: 0,
          kind: "changed",
          message: `the checkpoint #${anchor.seq} the pruned chain starts from does not verify: ${anchorSignature.reason ?? "invalid"}`,
        },
        checkpoint,
        checkpointSignature,
      };
    }
    expectations = { contiguous: true, firstSeq: first, firstPrevHash: anchor.hash };
  }
  const verifier = new ChainVerifier(expectations);
  outer: for await (const batch of streamAuditRows(client, undefined, {
    inTransaction: options.inTransaction,
  })) {
    for (const row of batch) {
      if (!verifier.push(textRowToEvent(row))) break outer;
    }
  }
  const result = verifier.finish();
  // A checkpoint at or before a retention cut is the anchor, checked above.
  if (result.ok && checkpoint && checkpoint.seq !== "0" && BigInt(checkpoint.seq) >= BigInt(first ?? "1")) {
    // The checkpoint's event must still be there, unchanged; later events are legitimately newer.
    const lastSeq = result.lastSeq === null ? -1n : BigInt(result.lastSeq);
    if (lastSeq < BigInt(checkpoint.seq)) {
      const missing = (lastSeq < 0n ? 1n : lastSeq + 1n).toString();
      return {
        ...result,
        ok: false,
        broken: {
          seq: missing,
          position: result.count,
          kind: "deleted",
          message: `event #${missing} is missing: the signed checkpoint covers up to #${checkpoint.seq}`,
        },
        checkpoint,
        checkpointSignature,
      };
    }
    const { rows } = await client.query<{ hash: string }>(
      `SELECT encode(hash, 'hex') AS hash FROM audit_events WHERE seq = $1`,
      [checkpoint.seq],
    );
    if (rows[0]?.hash !== checkpoint.hash) {
      return {
        ...result,
        ok: false,
        broken: {
          seq: checkpoint.seq,
          position: Number(checkpoint.seq) - 1,
          kind: "changed",
          message: `event #${checkpoint.seq} no longer matches its signed checkpoint`,
        },
        checkpoint,
        checkpointSignature,
      };
    }
  }
  return { ...result, checkpoint, checkpointSignature };
}
