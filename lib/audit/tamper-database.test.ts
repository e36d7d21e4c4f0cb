import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { appendAuditEvent } from "./append-audit-event";
import { computeEventHash, GENESIS_PREV_HASH, type ChainedAuditEvent } from "./canonical-encoding";
import { signCheckpoint } from "./sign-checkpoint";
import { randomEventInput, readAllEvents, seededRandom } from "./testing/audit-fixtures";
import { createTestSigningKey } from "./testing/test-signing-key";
import type { TamperKind } from "./verify-chain";
import { verifyDatabaseChain } from "./verify-database-chain";

// Tampering in SQL by a superuser with the triggers switched off (session_replication_role = replica),
// each trial inside a transaction that is rolled back, so every trial starts from the same valid chain.

const EVENTS = 40;
const TRIALS_PER_KIND = 12;

type Tamper = (client: pg.ClientBase, k: number, random: () => number) => Promise<void>;

const changes = [
  "actor_name = 'mallory'",
  `details = '{"reason": "edited"}'`,
  "target_keys = ARRAY['OTHER_KEY']",
  "outcome = CASE outcome WHEN 'success' THEN 'failure' ELSE 'success' END",
  "time = time + interval '1 millisecond'",
  "action = 'secret.viewed.edited'",
  "prev_hash = sha256('x'::bytea)",
  "hash = sha256('y'::bytea)",
  "pull_request_url = 'https://git.example/pr/forged'",
  "target_name = NULL",
];

const shift = async (client: pg.ClientBase, from: number, by: number) => {
  // Two steps: a unique key cannot take a renumbering in place.
  await client.query("UPDATE audit_events SET seq = -seq WHERE seq >= $1", [from]);
  await client.query("UPDATE audit_events SET seq = -seq + $1 WHERE seq < 0", [by]);
};

const tampers: Record<TamperKind, Tamper> = {
  async changed(client, k, random) {
    const change = changes[Math.floor(random() * changes.length)]!;
    await client.query(`UPDATE audit_events SET ${change} WHERE seq = $1`, [k]);
  },
  async deleted(client, k) {
    await client.query("DELETE FROM audit_events WHERE seq = $1", [k]);
  },
  // A careful forger: the new event links to its predecessor and carries a correct hash; the events
  // after it are renumbered to make room.
  async inserted(client, k) {
    const { rows } = await client.query<{ hash: string }>(
      `SELECT encode(hash, 'hex') AS hash FROM audit_events WHERE seq = $1`,
      [k - 1],
    );
    await shift(client, k, 1);
    const forged: Omit<ChainedAuditEvent, "hash"> = {
      seq: String(k),
      time: "2026-01-01T00:00:00.000Z",
      actorUserId: "u-9",
      actorName: "mallory",
      actorRole: "admin",
      actorIp: null,
      actorUserAgent: null,
      action: "settings.changed",
      targetCluster: null,
      targetNamespace: null,
      targetKind: null,
      targetName: null,
      targetKeys: [],
      outcome: "success",
      details: "{}",
      pullRequestUrl: null,
      requestId: null,
      prevHash: rows[0]?.hash ?? GENESIS_PREV_HASH,
    };
    await client.query(
      `INSERT INTO audit_events (seq, time, actor_user_id, actor_name, actor_role, action, target_keys, outcome, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, decode($10, 'hex'), decode($11, 'hex'))`,
      [
        k,
        forged.time,
        forged.actorUserId,
        forged.actorName,
        forged.actorRole,
        forged.action,
        forged.targetKeys,
        forged.outcome,
        forged.details,
        forged.prevHash,
        computeEventHash(forged),
      ],
    );
  },
  // Swaps event k with event k + 1.
  async reordered(client, k) {
    await client.query("UPDATE audit_events SET seq = -1 WHERE seq = $1", [k]);
    await client.query("UPDATE audit_events SET seq = $1 WHERE seq = $2", [k, k + 1]);
    await client.query("UPDATE audit_events SET seq = $1 WHERE seq = -1", [k + 1]);
  },
};

describe("tampering with audit_events in SQL is named by verification", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 2 });
  const key = createTestSigningKey();
  const trustedPublicKeys = [key.publicKeyPem];
  let client: pg.PoolClient;

  beforeAll(async () => {
    const random = seededRandom(8);
    for (let i = 0; i < EVENTS; i++) await appendAuditEvent(pool, randomEventInput(random, i));
    await signCheckpoint(pool, key);
    client = await pool.connect();
  });
  afterAll(() => {
    client.release();
  });

  it("finds the untouched chain valid, up to its signed checkpoint", async () => {
    const result = await verifyDatabaseChain(client, { trustedPublicKeys });
    expect(result).toMatchObject({
      ok: true,
      count: EVENTS,
      lastSeq: String(EVENTS),
      checkpointSignature: { ok: true },
    });
    expect(result.checkpoint?.hash).toBe((await readAllEvents(client)).at(-1)?.hash);
  });

  const kinds = Object.keys(tampers) as TamperKind[];
  const trials = kinds.flatMap((kind, i) =>
    Array.from({ length: TRIALS_PER_KIND }, (_, trial) => {
      const random = seededRandom(1000 * (i + 1) + trial);
      // Every position, the first and the last included; a swap needs a successor.
      const last = kind === "reordered" ? EVENTS - 1 : EVENTS;
      const k = trial === 0 ? 1 : trial === 1 ? last : 1 + Math.floor(random() * last);
      return { kind, k, seed: 1000 * (i + 1) + trial, random };
    }),
  );

  it.each(trials)("$kind event #$k (seed $seed)", async ({ kind, k, random }) => {
    await client.query("BEGIN");
    try {
      await client.query("SET LOCAL session_replication_role = replica");
      await tampers[kind](client, k, random);
      await client.query("SET LOCAL session_replication_role = origin");
      const result = await verifyDatabaseChain(client, { inTransaction: true, trustedPublicKeys });
      expect(result.ok).toBe(false);
      expect(result.broken).toMatchObject({ kind, seq: String(k) });
    } finally {
      await client.query("ROLLBACK");
    }
  });
});
