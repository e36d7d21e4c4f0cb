import { randomBytes, sign } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAppRole } from "@/lib/db/ensure-app-role";
import { applyAuditRetention } from "@/lib/settings/start-audit-retention";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { appendAuditEvent } from "./append-audit-event";
import { getChainStatus, resetChainStatus } from "./chain-status";
import { pruneAuditEvents } from "./prune-audit-events";
import { signCheckpoint } from "./sign-checkpoint";
import { randomEventInput, seededRandom } from "./testing/audit-fixtures";
import { createTestSigningKey } from "./testing/test-signing-key";
import { encodeCheckpoint } from "./verify-checkpoint";
import { verifyDatabaseChain } from "./verify-database-chain";

// Issue #13, item 1: the app's runtime role may append to audit_checkpoints (export checkpoints), so a
// row it writes must be powerless: it must not make retention delete events, nor break verification or
// the chain badge, nor become the predecessor the next genuine checkpoint chains to.

const DAY_MS = 24 * 60 * 60 * 1000;

describe("checkpoints forged by the runtime role", () => {
  const db = setupMigratedDatabase({ poolMax: 4 });
  const key = createTestSigningKey();
  const attacker = createTestSigningKey();
  const trustedPublicKeys = [key.publicKeyPem];
  const random = seededRandom(13);
  const role = `sealdeck_app_${randomBytes(4).toString("hex")}`;
  let runtime: pg.Pool;
  let genuineSignature: string;
  const count = async () =>
    Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM audit_events")).rows[0]!.n);

  /** Inserts a checkpoint row as the runtime role, the way a compromised app could. */
  async function forge(row: {
    seq: string;
    hash: string;
    headTime: string;
    signedBy?: typeof attacker;
    keyId?: string;
  }) {
    const unsigned = {
      seq: row.seq,
      hash: row.hash,
      headTime: row.headTime,
      createdAt: row.headTime,
      prevSignature: null,
      keyId: row.keyId ?? (row.signedBy ?? attacker).keyId,
    };
    const signature = row.signedBy
      ? sign(null, encodeCheckpoint(unsigned), row.signedBy.privateKey).toString("base64")
      : randomBytes(64).toString("base64");
    await runtime.query(
      `INSERT INTO audit_checkpoints (seq, hash, head_time, created_at, prev_signature, signature, key_id, public_key)
       VALUES ($1, decode($2, 'hex'), $3, $4, NULL, decode($5, 'base64'), $6, $7)`,
      [
        unsigned.seq,
        unsigned.hash,
        unsigned.headTime,
        unsigned.createdAt,
        signature,
        unsigned.keyId,
        (row.signedBy ?? attacker).publicKeyPem,
      ],
    );
  }

  beforeAll(async () => {
    for (let i = 0; i < 12; i++) await appendAuditEvent(db.pool, randomEventInput(random, i));
    genuineSignature = (await signCheckpoint(db.pool, key)).signature; // head #12
    for (let i = 12; i < 15; i++) await appendAuditEvent(db.pool, randomEventInput(random, i));
    runtime = new pg.Pool({ connectionString: (await ensureAppRole(db.url, { role })).url, max: 1 });

    const head = (
      await db.pool.query<{ seq: string; hash: string }>(
        "SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_events ORDER BY audit_events.seq DESC LIMIT 1",
      )
    ).rows[0]!;
    expect(head.seq).toBe("15");
    // The head dated 2001: unsigned (random bytes), under the genuine key's id, and self-signed.
    await forge({ ...head, headTime: "2001-01-01T00:00:00.000Z", keyId: key.keyId });
    await forge({ ...head, headTime: "2001-01-01T00:00:00.000Z", signedBy: attacker });
    // A head beyond the chain (claims events were deleted) and a wrong hash for an existing event.
    await forge({ seq: "99", hash: "ab".repeat(32), headTime: "2001-01-01T00:00:00.000Z", keyId: key.keyId });
    await forge({
      seq: "5",
      hash: "cd".repeat(32),
      headTime: "2001-01-01T00:00:00.000Z",
      signedBy: attacker,
    });
  });
  afterAll(async () => {
    await runtime.end();
    await db.query(`DROP OWNED BY ${role}`);
    await db.query(`DROP ROLE ${role}`);
  });

  it("lets 30-day retention delete nothing", async () => {
    const before = new Date(Date.now() - 30 * DAY_MS);
    expect(await pruneAuditEvents(db.pool, { before, trustedPublicKeys })).toEqual({
      throughSeq: null,
      deleted: 0,
    });
    await db.pool.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ('audit.retention-days', '30'::jsonb, now())`,
    );
    expect(await applyAuditRetention(db.pool, { trustedPublicKeys })).toMatchObject({
      ran: true,
      result: { throughSeq: null, deleted: 0 },
    });
    // 15 events, plus the retention run's own two.
    expect(await count()).toBe(17);
    expect((await db.pool.query("SELECT min(seq)::text AS first FROM audit_events")).rows[0]).toEqual({
      first: "1",
    });
  });

  it("leaves `audit verify` and the chain badge verified, anchored at the genuine checkpoint", async () => {
    const client = await db.pool.connect();
    try {
      const result = await verifyDatabaseChain(client, { trustedPublicKeys });
      expect(result).toMatchObject({
        ok: true,
        count: 17,
        checkpoint: { seq: "12", signature: genuineSignature },
        checkpointSignature: { ok: true },
        untrustedCheckpoints: 4,
      });
    } finally {
      client.release();
    }
    resetChainStatus();
    const full = await getChainStatus(db.pool, { trustedPublicKeys, fresh: true });
    expect(full).toMatchObject({
      ok: true,
      mode: "full",
      checkpoint: { seq: "12", signatureOk: true },
      untrustedCheckpoints: 4,
      broken: null,
    });
    const incremental = await getChainStatus(db.pool, { trustedPublicKeys, fresh: true });
    expect(incremental).toMatchObject({ ok: true, mode: "incremental", checkpoint: { seq: "12" } });
  });

  it("chains the next genuine checkpoint to the genuine one, not to a forged row", async () => {
    const next = await signCheckpoint(db.pool, key);
    expect(next.prevSignature).toBe(genuineSignature);
    // Past ten rows, newest-first must still mean by number (ids "10" and "9" sort the other way as text).
    let previous = next.signature;
    for (let i = 0; i < 6; i++) {
      const checkpoint = await signCheckpoint(db.pool, key);
      expect(checkpoint.prevSignature).toBe(previous);
      previous = checkpoint.signature;
    }
    const client = await db.pool.connect();
    try {
      const result = await verifyDatabaseChain(client, { trustedPublicKeys });
      expect(result.checkpoint?.signature).toBe(previous);
      expect(result.untrustedCheckpoints).toBe(0);
    } finally {
      client.release();
    }
  });

  it("still prunes through a genuine checkpoint once its events are old enough", async () => {
    // The forged rows name the head too; only the genuine #12 (signed by the trusted key) counts.
    await appendAuditEvent(db.pool, randomEventInput(random, 15)); // #18, after the checkpoint of #17
    const later = new Date(Date.now() + 60_000);
    expect(await pruneAuditEvents(db.pool, { before: later, trustedPublicKeys })).toEqual({
      throughSeq: "17",
      deleted: 17,
    });
    const client = await db.pool.connect();
    try {
      expect(await verifyDatabaseChain(client, { trustedPublicKeys })).toMatchObject({ ok: true });
    } finally {
      client.release();
    }
  });
});
