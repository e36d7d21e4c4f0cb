import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/prisma";
import type { PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors/app-error";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { appendAuditEvent, isAuditWriteError } from "./append-audit-event";
import { createAuditAppender } from "./create-audit-appender";
import { verifyDatabaseChain } from "./verify-database-chain";
import { hmacSecretValue } from "./hmac-secret-value";

describe("appendAuditEvent", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    prisma = createPrismaClient(db.url);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await db.drop();
  });

  const count = async () =>
    Number((await pool.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_events")).rows[0]!.n);

  it("commits and rolls back with the caller's Prisma transaction", async () => {
    const before = await count();
    const appended = await prisma.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "audit.test", value: { on: true } } });
      return appendAuditEvent(tx, {
        action: "settings.changed",
        outcome: "success",
        target: { name: "audit.test" },
      });
    });
    expect(appended).toMatchObject({
      seq: String(before + 1),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    expect(appended.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    await expect(
      prisma.$transaction(async (tx) => {
        await appendAuditEvent(tx, { action: "settings.changed", outcome: "success" });
        await tx.setting.create({ data: { key: "audit.test", value: {} } }); // duplicate key: the action fails
      }),
    ).rejects.toThrow();
    // Neither the action nor its event is there, and the number was given back.
    expect(await count()).toBe(before + 1);
    const next = await appendAuditEvent(pool, { action: "settings.changed", outcome: "success" });
    expect(next.seq).toBe(String(before + 2));
  });

  it("keeps HMACs of secret values and refuses the values themselves, without echoing them", async () => {
    const key = randomBytes(32);
    const ok = await appendAuditEvent(pool, {
      action: "seal.requested",
      outcome: "pending",
      target: { keys: ["DB_PASSWORD"] },
      details: {
        scope: "strict",
        value: hmacSecretValue("example-not-a-secret", key),
        certificateFingerprint: "ab12",
      },
    });
    expect(ok.seq).toMatch(/^\d+$/);
    for (const details of [
      { value: "example-not-a-secret" },
      { entries: [{ password: "example-not-a-secret" }] },
      { stringData: { A: "x" } },
      { note: "x".repeat(3000) },
    ]) {
      const error = await appendAuditEvent(pool, {
        action: "seal.requested",
        outcome: "pending",
        details,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(isAuditWriteError(error)).toBe(true);
      expect((error as AppError).code).toBe("unprocessable");
      expect((error as AppError).message).not.toContain("example-not-a-secret");
    }
  });

  it("refuses malformed events", async () => {
    await expect(
      appendAuditEvent(pool, { action: "Not An Action", outcome: "success" }),
    ).rejects.toMatchObject({ code: "unprocessable" });
    // @ts-expect-error an outcome outside the list
    await expect(appendAuditEvent(pool, { action: "a.b", outcome: "maybe" })).rejects.toMatchObject({
      code: "unprocessable",
    });
    await expect(
      appendAuditEvent(pool, { action: "a.b", outcome: "success", pullRequestUrl: "javascript:alert(1)" }),
    ).rejects.toMatchObject({ code: "unprocessable" });
  });

  it("fails closed with a typed error when the database cannot take the event", async () => {
    const unreachable = new pg.Pool({
      connectionString: "postgresql://nobody:nothing@127.0.0.1:1/none",
      connectionTimeoutMillis: 2000,
    });
    const error = await appendAuditEvent(unreachable, {
      action: "force_sync.requested",
      outcome: "pending",
    }).catch((e: unknown) => e);
    await unreachable.end();
    expect(isAuditWriteError(error)).toBe(true);
    expect(error).toMatchObject({
      code: "unavailable",
      status: 503,
      message: "the audit log could not record this action, so it was refused",
    });
    expect(JSON.stringify((error as AppError).details)).not.toContain("nothing");
  });
});

describe("createAuditAppender", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it("writes concurrently queued events in batches, each caller getting its own event", async () => {
    const appender = createAuditAppender(pool, { maxBatch: 16 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        appender.append({
          action: "secret.viewed",
          outcome: "success",
          requestId: `req-${i}`,
          target: { keys: i % 2 ? ["A", "B"] : [] },
          details: { i },
        }),
      ),
    );
    const { rows } = await pool.query<{ seq: string; request_id: string; hash: string }>(
      "SELECT seq::text AS seq, request_id, encode(hash, 'hex') AS hash FROM audit_events ORDER BY audit_events.seq",
    );
    expect(rows).toHaveLength(50);
    const bySeq = new Map(rows.map((row) => [row.seq, row]));
    results.forEach((result, i) => {
      expect(bySeq.get(result.seq)).toEqual({ seq: result.seq, request_id: `req-${i}`, hash: result.hash });
    });
    const client = await pool.connect();
    try {
      expect(await verifyDatabaseChain(client)).toMatchObject({ ok: true, count: 50 });
    } finally {
      client.release();
    }
  });

  it("rejects an invalid event alone, and every event of a batch the database refuses", async () => {
    const appender = createAuditAppender(pool);
    await expect(appender.append({ action: "Bad", outcome: "success" })).rejects.toMatchObject({
      code: "unprocessable",
    });
    const broken = new pg.Pool({
      connectionString: "postgresql://nobody:nothing@127.0.0.1:1/none",
      connectionTimeoutMillis: 2000,
    });
    const failing = createAuditAppender(broken);
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map(() => failing.append({ action: "a.b", outcome: "success" })),
    );
    await broken.end();
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect(isAuditWriteError((outcome as PromiseRejectedResult).reason)).toBe(true);
    }
  });
});
