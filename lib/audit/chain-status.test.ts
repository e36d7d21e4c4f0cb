import { beforeEach, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { appendAuditEvent } from "./append-audit-event";
import { getChainStatus, resetChainStatus } from "./chain-status";
import { signCheckpoint } from "./sign-checkpoint";
import { randomEventInput, seededRandom } from "./testing/audit-fixtures";
import { createTestSigningKey } from "./testing/test-signing-key";

// The chain badge's verification: a full pass first, then only the new events (linked to the last
// verified one, which must be unchanged) and the latest signed checkpoint; tampering is reported.

describe("getChainStatus", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 4 });
  const key = createTestSigningKey();
  const trusted = { trustedPublicKeys: [key.publicKeyPem] };
  const random = seededRandom(7);
  let index = 0;
  const append = async (n: number) => {
    for (let i = 0; i < n; i++) await appendAuditEvent(pool, randomEventInput(random, index++));
  };
  // Tampering as the owner with the append-only triggers off, committed so the check's connection sees
  // it; each test restores what it changed the same way.
  async function whileTampered(sql: string, params: unknown[], check: () => Promise<void>) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(sql, params);
      await client.query("COMMIT");
      await check();
    } finally {
      client.release();
    }
  }

  beforeEach(() => resetChainStatus());

  it("says so for an empty log", async () => {
    const status = await getChainStatus(pool, { ...trusted, fresh: true });
    expect(status).toMatchObject({ ok: true, mode: "full", verified: null, checkpoint: null, broken: null });
  });

  it("verifies fully first, then incrementally, following the head and the signed checkpoint", async () => {
    await append(20);
    await signCheckpoint(pool, key);
    const first = await getChainStatus(pool, { ...trusted, fresh: true });
    expect(first).toMatchObject({ ok: true, mode: "full", verified: { seq: "20" }, broken: null });
    expect(first.checkpoint).toMatchObject({ seq: "20", signatureOk: true, keyId: key.keyId });

    // Cached for a while: nothing new is read.
    await append(5);
    expect(await getChainStatus(pool, trusted)).toBe(first);

    const second = await getChainStatus(pool, { ...trusted, fresh: true });
    expect(second).toMatchObject({ ok: true, mode: "incremental", verified: { seq: "25" } });
    await signCheckpoint(pool, key);
    await append(3);
    const third = await getChainStatus(pool, { ...trusted, fresh: true });
    expect(third).toMatchObject({
      ok: true,
      mode: "incremental",
      verified: { seq: "28" },
      checkpoint: { seq: "25" },
    });
  });

  it("names a changed new event, a rewritten anchor and a deleted signed head", async () => {
    resetChainStatus();
    expect(await getChainStatus(pool, { ...trusted, fresh: true })).toMatchObject({
      ok: true,
      verified: { seq: "28" },
    });
    await append(4); // 29..32, not yet verified

    // A new event changed after it was written: caught by the incremental pass.
    const { rows } = await pool.query<{ actor_name: string | null }>(
      "SELECT actor_name FROM audit_events WHERE seq = 30",
    );
    await whileTampered("UPDATE audit_events SET actor_name = 'mallory' WHERE seq = 30", [], async () => {
      const status = await getChainStatus(pool, { ...trusted, fresh: true });
      expect(status).toMatchObject({
        ok: false,
        mode: "incremental",
        broken: { seq: "30", kind: "changed" },
      });
    });
    await whileTampered(
      "UPDATE audit_events SET actor_name = $1 WHERE seq = 30",
      [rows[0]!.actor_name],
      async () => {
        expect(await getChainStatus(pool, { ...trusted, fresh: true })).toMatchObject({
          ok: true,
          verified: { seq: "32" },
        });
      },
    );

    // The last verified event re-hashed: the incremental pass starts by checking it is unchanged.
    const anchor = await pool.query<{ hash: Buffer }>("SELECT hash FROM audit_events WHERE seq = 32");
    await whileTampered(
      "UPDATE audit_events SET hash = sha256('forged'::bytea) WHERE seq = 32",
      [],
      async () => {
        expect(await getChainStatus(pool, { ...trusted, fresh: true })).toMatchObject({
          ok: false,
          mode: "incremental",
          broken: { seq: "32", kind: "changed" },
        });
      },
    );
    await whileTampered(
      "UPDATE audit_events SET hash = $1 WHERE seq = 32",
      [anchor.rows[0]!.hash],
      async () => {
        expect(await getChainStatus(pool, { ...trusted, fresh: true })).toMatchObject({ ok: true });
      },
    );

    // A full pass catches an old event changed too.
    resetChainStatus();
    const old = await pool.query<{ details: string }>(
      "SELECT details::text AS details FROM audit_events WHERE seq = 3",
    );
    await whileTampered(
      `UPDATE audit_events SET details = '{"forged": true}' WHERE seq = 3`,
      [],
      async () => {
        expect(await getChainStatus(pool, { ...trusted, fresh: true })).toMatchObject({
          ok: false,
          mode: "full",
          broken: { seq: "3", kind: "changed" },
        });
      },
    );
    await whileTampered(
      "UPDATE audit_events SET details = $1::jsonb WHERE seq = 3",
      [old.rows[0]!.details],
      async () => {
        expect(await getChainStatus(pool, { ...trusted, fresh: true })).toMatchObject({
          ok: true,
          mode: "full",
        });
      },
    );
  });
});
