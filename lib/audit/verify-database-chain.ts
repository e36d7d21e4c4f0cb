import "server-only";
import type pg from "pg";
import { textRowToEvent } from "./audit-event-columns";
import { createCheckpointKeyring } from "./checkpoint-keyring";
import { readTrustedCheckpoint } from "./read-trusted-checkpoint";
import { streamAuditRows } from "./stream-audit-rows";
import {
  verifyCheckpointSignature,
  type CheckpointSignatureCheck,
  type SignedCheckpoint,
} from "./verify-checkpoint";
import { ChainVerifier, type ChainExpectations, type ChainVerification } from "./verify-chain";

export type DatabaseChainVerification = ChainVerification & {
  /** The newest checkpoint signed by a trusted key, or null. */
  checkpoint: SignedCheckpoint | null;
  checkpointSignature: CheckpointSignatureCheck | null;
  /** Checkpoint rows newer than it that no trusted key signed: ignored (forged, or an unknown key). */
  untrustedCheckpoints: number;
};

/**
 * Verifies the live audit_events table from its first event (#1, or the first after a retention cut,
 * anchored by the signed checkpoint it was cut at): every hash, every link, no gaps, and the
 * latest signed checkpoint (when there is one) still matches the row it signed, so deleting or
 * rewriting the newest events is caught too. Only checkpoints whose signature verifies with one of
 * `trustedPublicKeys` (SPKI PEM: the server's signing key, an auditor's pinned key) count; any other
 * row in audit_checkpoints, which the runtime role can append to, is ignored and counted in
 * `untrustedCheckpoints`. Pass `inTransaction` to read within the client's open transaction.
 */
export async function verifyDatabaseChain(
  client: pg.ClientBase,
  options: { trustedPublicKeys?: readonly string[]; inTransaction?: boolean } = {},
): Promise<DatabaseChainVerification> {
  const keyring = createCheckpointKeyring(options.trustedPublicKeys ?? []);
  const latest = await readTrustedCheckpoint(client, keyring);
  const checkpoint = latest.checkpoint;
  const untrustedCheckpoints = latest.untrusted;
  const checkpointSignature = checkpoint
    ? verifyCheckpointSignature(checkpoint, keyring.get(checkpoint.keyId))
    : null;

  // A chain pruned by retention starts after a signed checkpoint: its first prev_hash must be that
  // checkpoint's hash. Without such a trusted checkpoint the missing start is a deletion.
  const { rows: firstRows } = await client.query<{ first: string | null }>(
    "SELECT min(seq)::text AS first FROM audit_events",
  );
  const first = firstRows[0]?.first ?? null;
  let expectations: ChainExpectations = { contiguous: true, fromGenesis: true };
  const anchor =
    first !== null && first !== "1"
      ? (await readTrustedCheckpoint(client, keyring, { seq: (BigInt(first) - 1n).toString() })).checkpoint
      : null;
  if (anchor && first !== null) {
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
        untrustedCheckpoints,
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
        untrustedCheckpoints,
      };
    }
  }
  return { ...result, checkpoint, checkpointSignature, untrustedCheckpoints };
}
