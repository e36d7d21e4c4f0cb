import "server-only";
import type pg from "pg";
import { AppError } from "@/lib/errors/app-error";
import { logger } from "@/lib/log/logger";
import type { ChainStatusResponse } from "@/lib/validations/audit-query";
import { textRowToEvent } from "./audit-event-columns";
import { createCheckpointKeyring } from "./checkpoint-keyring";
import { readTrustedCheckpoint } from "./read-trusted-checkpoint";
import { streamAuditRows } from "./stream-audit-rows";
import { ChainVerifier, type ChainBreak } from "./verify-chain";
import type { SignedCheckpoint } from "./verify-checkpoint";
import { verifyDatabaseChain } from "./verify-database-chain";

// The Audit page's chain badge. Verifying the whole table on every visit would cost a full scan, so
// this process remembers the newest event it has verified and then only checks what was appended since
// (linked to that event, which must still be there unchanged) plus the latest signed checkpoint. The
// whole chain is re-verified from #1 every FULL_EVERY_MS, so an edit to an older event is caught
// within that interval; the answer is cached for CACHE_MS and concurrent requests share one check.
// Only checkpoints signed by a trusted key (the server's own) count: the runtime role can append rows
// to audit_checkpoints, and a forged one must neither break the badge nor vouch for anything; such
// rows are counted (`untrustedCheckpoints`) and shown, not believed.

const CACHE_MS = 30_000;
const FULL_EVERY_MS = 15 * 60_000;

type State = {
  verified?: { seq: string; hash: string; fullAt: number };
  cached?: { at: number; status: ChainStatusResponse };
  running?: Promise<ChainStatusResponse>;
};

const globalForChain = globalThis as unknown as { sealdeckChainStatus?: State };
const state = (): State => (globalForChain.sealdeckChainStatus ??= {});

/** Forgets what this process verified (tests; after a restore). */
export function resetChainStatus(): void {
  globalForChain.sealdeckChainStatus = {};
}

/** A trusted checkpoint: its signature verified with a configured key. */
function describeCheckpoint(checkpoint: SignedCheckpoint | null): ChainStatusResponse["checkpoint"] {
  if (!checkpoint) return null;
  return {
    seq: checkpoint.seq,
    createdAt: checkpoint.createdAt,
    headTime: checkpoint.headTime,
    keyId: checkpoint.keyId,
    signatureOk: true,
    reason: null,
  };
}

const brokenView = (broken: ChainBreak | undefined) =>
  broken ? { seq: broken.seq, kind: broken.kind, message: broken.message } : null;

async function verifyFull(
  client: pg.ClientBase,
  trustedPublicKeys: readonly string[],
  now: number,
): Promise<ChainStatusResponse> {
  const result = await verifyDatabaseChain(client, { trustedPublicKeys });
  const checkpoint = describeCheckpoint(result.checkpoint);
  const ok = result.ok;
  const verified = result.lastSeq && result.lastHash ? { seq: result.lastSeq, hash: result.lastHash } : null;
  if (ok) state().verified = verified ? { ...verified, fullAt: now } : undefined;
  return {
    ok,
    checkedAt: new Date(now).toISOString(),
    mode: "full",
    verified: result.ok ? verified : null,
    checkpoint,
    untrustedCheckpoints: result.untrustedCheckpoints,
    broken: brokenView(result.broken),
  };
}

async function verifyIncremental(
  client: pg.ClientBase,
  trustedPublicKeys: readonly string[],
  from: { seq: string; hash: string },
  now: number,
): Promise<ChainStatusResponse> {
  // One snapshot for the anchor, the new events and the checkpoint.
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const trusted = await readTrustedCheckpoint(client, createCheckpointKeyring(trustedPublicKeys));
    const latest = trusted.checkpoint;
    const checkpoint = describeCheckpoint(latest);
    const fail = (broken: ChainBreak): ChainStatusResponse => ({
      ok: false,
      checkedAt: new Date(now).toISOString(),
      mode: "incremental",
      verified: null,
      checkpoint,
      untrustedCheckpoints: trusted.untrusted,
      broken: brokenView(broken),
    });
    const anchor = await client.query<{ hash: string }>(
      "SELECT encode(hash, 'hex') AS hash FROM audit_events WHERE seq = $1::bigint",
      [from.seq],
    );
    const anchorHash = anchor.rows[0]?.hash;
    if (anchorHash !== from.hash) {
      return fail({
        seq: from.seq,
        position: 0,
        kind: anchorHash === undefined ? "deleted" : "changed",
        message:
          anchorHash === undefined
            ? `event #${from.seq}, verified earlier, is missing`
            : `event #${from.seq} changed since it was verified`,
      });
    }
    const verifier = new ChainVerifier({
      contiguous: true,
      firstSeq: (BigInt(from.seq) + 1n).toString(),
      firstPrevHash: from.hash,
    });
    outer: for await (const batch of streamAuditRows(
      client,
      { where: "seq > $1::bigint", params: [from.seq] },
      { inTransaction: true },
    )) {
      for (const row of batch) if (!verifier.push(textRowToEvent(row))) break outer;
    }
    const result = verifier.finish();
    if (!result.ok) return fail(result.broken!);
    const head = result.lastSeq && result.lastHash ? { seq: result.lastSeq, hash: result.lastHash } : from;
    if (latest && latest.seq !== "0") {
      if (BigInt(latest.seq) > BigInt(head.seq)) {
        const missing = (BigInt(head.seq) + 1n).toString();
        return fail({
          seq: missing,
          position: result.count,
          kind: "deleted",
          message: `event #${missing} is missing: the signed checkpoint covers up to #${latest.seq}`,
        });
      }
      const signed = await client.query<{ hash: string }>(
        "SELECT encode(hash, 'hex') AS hash FROM audit_events WHERE seq = $1::bigint",
        [latest.seq],
      );
      // Absent only when retention cut the chain right after this checkpoint: the full check covers that.
      const row = signed.rows[0];
      if (row && row.hash !== latest.hash) {
        return fail({
          seq: latest.seq,
          position: 0,
          kind: "changed",
          message: `event #${latest.seq} no longer matches its signed checkpoint`,
        });
      }
    }
    const previous = state().verified;
    if (previous) state().verified = { ...head, fullAt: previous.fullAt };
    return {
      ok: true,
      checkedAt: new Date(now).toISOString(),
      mode: "incremental",
      verified: head,
      checkpoint,
      untrustedCheckpoints: trusted.untrusted,
      broken: null,
    };
  } finally {
    await client.query("COMMIT").catch(() => undefined);
  }
}

async function check(
  pool: pg.Pool,
  trustedPublicKeys: readonly string[],
  now: number,
): Promise<ChainStatusResponse> {
  const client = await pool.connect();
  try {
    const verified = state().verified;
    return verified && now - verified.fullAt < FULL_EVERY_MS
      ? await verifyIncremental(client, trustedPublicKeys, verified, now)
      : await verifyFull(client, trustedPublicKeys, now);
  } finally {
    client.release();
  }
}

/**
 * The live chain's status, from cache when fresh. `trustedPublicKeys` (SPKI PEM) are the keys a
 * checkpoint must be signed with to count. Throws AppError `unavailable` when the database fails.
 */
export async function getChainStatus(
  pool: pg.Pool,
  options: { trustedPublicKeys: readonly string[]; now?: number; fresh?: boolean },
): Promise<ChainStatusResponse> {
  const now = options.now ?? Date.now();
  const current = state();
  if (!options.fresh && current.cached && now - current.cached.at < CACHE_MS) return current.cached.status;
  current.running ??= check(pool, options.trustedPublicKeys, now)
    .then((status) => {
      state().cached = { at: now, status };
      return status;
    })
    .catch((error: unknown) => {
      logger.error({ err: error }, "audit chain verification could not run");
      throw new AppError("unavailable", "The audit log could not be read to verify its chain.");
    })
    .finally(() => {
      state().running = undefined;
    });
  return current.running;
}
