import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { appendAuditEvent } from "./append-audit-event";
import { computeEventHash, GENESIS_PREV_HASH } from "./canonical-encoding";
import { randomEventInput, readAllEvents, seededRandom } from "./testing/audit-fixtures";
import { verifyChain } from "./verify-chain";

describe("audit_events chain (trigger in Postgres)", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it("assigns seq, time, prev_hash and hash that TypeScript recomputes byte for byte", async () => {
    const random = seededRandom(1);
    for (let i = 0; i < 30; i++) await appendAuditEvent(pool, randomEventInput(random, i));
    const client = await pool.connect();
    try {
      const events = await readAllEvents(client);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
      expect(events[0]!.prevHash).toBe(GENESIS_PREV_HASH);
      for (const event of events) expect(computeEventHash(event)).toBe(event.hash);
      expect(await verifyChain(events, { contiguous: true, fromGenesis: true })).toMatchObject({
        ok: true,
        count: 30,
      });
    } finally {
      client.release();
    }
  });

  it("overwrites chain fields a caller tries to choose", async () => {
    const { rows } = await pool.query<{ seq: string; prev: string }>(
      `INSERT INTO audit_events (seq, time, action, outcome, prev_hash, hash)
       VALUES (999, '2000-01-01', 'forged.event', 'success', '\\x00', '\\x00')
       RETURNING seq::text AS seq, encode(prev_hash, 'hex') AS prev`,
    );
    expect(rows[0]!.seq).not.toBe("999");
    expect(rows[0]!.prev).not.toBe("00");
  });

  it.each([
    ["UPDATE", "UPDATE audit_events SET actor_name = 'x' WHERE seq = 1"],
    ["DELETE", "DELETE FROM audit_events WHERE seq = 1"],
    ["TRUNCATE", "TRUNCATE audit_events"],
    ["UPDATE checkpoints", "UPDATE audit_checkpoints SET key_id = 'x'"],
    ["TRUNCATE checkpoints", "TRUNCATE audit_checkpoints"],
  ])("rejects %s even for the table's owner", async (_name, sql) => {
    await expect(pool.query(sql)).rejects.toThrow(/append-only/);
  });
});
