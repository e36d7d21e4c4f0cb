import pg from "pg";
import { describe, expect, it } from "vitest";
import { runAuditedClusterAction } from "@/lib/kube/run-audited-cluster-action";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { appendAuditEvent, isAuditWriteError, isOutsideTransaction } from "./append-audit-event";
import { createAuditAppender } from "./create-audit-appender";
import type { AuditEventInput } from "./audit-event-input";
import { verifyDatabaseChain } from "./verify-database-chain";

// The audit-first path of every mutation (appendAuditEvent on the app's Prisma client, outside any
// transaction) is group-committed. These tests hold the guarantees that path had with one transaction
// per event: each caller resolves only with its own committed event, a refused event fails only its
// caller, and a batch lost with its connection refuses every waiter, so no action runs.

const database = setupMigratedDatabase({ appClient: true });
const { prisma, query } = database;

// The chain trigger's advisory lock (lib/audit/README.md).
const CHAIN_LOCK = "7050244041008635915";

const event = (caller: string, i: number, name = `caller ${caller}`): AuditEventInput => ({
  actor: { userId: caller, name },
  action: "secret.force_sync.requested",
  target: { cluster: "sandbox", namespace: "team", kind: "ExternalSecret", name: `s-${i}` },
  outcome: "pending",
  requestId: `${caller}-${i}`,
});

async function chainIsValid() {
  const client = await database.pool.connect();
  try {
    return await verifyDatabaseChain(client);
  } finally {
    client.release();
  }
}

/** Holds the chain lock on a connection of its own until release() is called. */
async function holdChainLock() {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT pg_advisory_xact_lock($1)", [CHAIN_LOCK]);
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return {
    pid: rows[0]!.pid,
    async release() {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

/** Backends of this database (other than `except`) waiting for the chain lock. */
async function lockWaiters(except: number): Promise<number[]> {
  const rows = await query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> $1`,
    [except],
  );
  return rows.map((row) => row.pid);
}

describe("appendAuditEvent outside a transaction (the mutation path)", () => {
  it("joins the caller's transaction only when there is one", async () => {
    expect(isOutsideTransaction(prisma)).toBe(true);
    expect(isOutsideTransaction(database.pool)).toBe(true);
    await prisma.$transaction(async (tx) => {
      expect(isOutsideTransaction(tx)).toBe(false);
    });
    const client = await database.pool.connect();
    try {
      expect(isOutsideTransaction(client)).toBe(false);
    } finally {
      client.release();
    }
  });

  it("gives 16 concurrent callers each their own committed event, in each caller's order", async () => {
    const before = Number((await query<{ n: string }>("SELECT count(*)::text AS n FROM audit_events"))[0]!.n);
    const results = await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        const mine: { i: number; seq: string; hash: string }[] = [];
        for (let i = 0; i < 10; i++) {
          const appended = await appendAuditEvent(prisma, event(`w${w}`, i));
          // Resolved means committed: another connection sees it already.
          const seen = await query<{ request_id: string; hash: string }>(
            "SELECT request_id, encode(hash, 'hex') AS hash FROM audit_events WHERE seq = $1",
            [appended.seq],
          );
          expect(seen).toEqual([{ request_id: `w${w}-${i}`, hash: appended.hash }]);
          mine.push({ i, seq: appended.seq, hash: appended.hash });
        }
        return mine;
      }),
    );
    for (const mine of results) {
      const seqs = mine.map((m) => BigInt(m.seq));
      expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    }
    // Callers that do not wait between appends keep their order too.
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => appendAuditEvent(prisma, event("burst", i))),
    );
    const burstSeqs = burst.map((b) => BigInt(b.seq));
    expect([...burstSeqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(burstSeqs);
    expect(await chainIsValid()).toMatchObject({ ok: true, count: before + 16 * 10 + 40 });
  });

  it("writes the events queued while one commits in one transaction: one WAL flush for all", async () => {
    const lock = await holdChainLock();
    let appended: { seq: string }[];
    try {
      const first = appendAuditEvent(prisma, event("flush", 0));
      while ((await lockWaiters(lock.pid)).length === 0) await new Promise((r) => setTimeout(r, 20));
      const rest = Array.from({ length: 15 }, (_, k) => appendAuditEvent(prisma, event("flush", k + 1)));
      const all = Promise.all([first, ...rest]);
      await lock.release();
      appended = await all;
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw error;
    }
    const rows = await query<{ request_id: string; xid: string }>(
      "SELECT request_id, xmin::text AS xid FROM audit_events WHERE actor_user_id = 'flush' ORDER BY seq",
    );
    expect(rows.map((r) => r.request_id)).toEqual(Array.from({ length: 16 }, (_, i) => `flush-${i}`));
    // The first waited alone; the 15 queued behind it share one transaction.
    expect(new Set(rows.slice(1).map((r) => r.xid)).size).toBe(1);
    expect(rows[0]!.xid).not.toBe(rows[1]!.xid);
    expect(appended.map((a) => BigInt(a.seq) - BigInt(appended[0]!.seq))).toEqual(
      Array.from({ length: 16 }, (_, i) => BigInt(i)),
    );
  });

  it("retries the rest of a refused batch one by one (createAuditAppender on a pool)", async () => {
    const appender = createAuditAppender(database.pool);
    const lock = await holdChainLock();
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      const first = appender.append(event("pool", 0));
      while ((await lockWaiters(lock.pid)).length === 0) await new Promise((r) => setTimeout(r, 20));
      const rest = [1, 2, 3].map((i) =>
        appender.append(event("pool", i, i === 2 ? "nul \u0000" : undefined)),
      );
      const settled = Promise.allSettled([first, ...rest]);
      await lock.release();
      outcomes = await settled;
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw error;
    }
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(await chainIsValid()).toMatchObject({ ok: true });
  });

  it("refuses an event the database refuses without refusing the others of its batch", async () => {
    const before = Number((await query<{ n: string }>("SELECT count(*)::text AS n FROM audit_events"))[0]!.n);
    // Holding the lock makes the first event wait in the database while the next 15 queue behind it,
    // so those 15, the poisoned one among them, are written as one batch.
    const lock = await holdChainLock();
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      const first = appendAuditEvent(prisma, event("batch", 0));
      while ((await lockWaiters(lock.pid)).length === 0) await new Promise((r) => setTimeout(r, 20));
      const rest = Array.from({ length: 15 }, (_, k) =>
        // Postgres text cannot hold a NUL character: the whole statement is refused (SQLSTATE 22P05).
        appendAuditEvent(prisma, event("batch", k + 1, k === 6 ? "nul \u0000 name" : undefined)),
      );
      const settled = Promise.allSettled([first, ...rest]);
      await lock.release();
      outcomes = await settled;
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw error;
    }
    const rejected = outcomes.flatMap((o, i) =>
      o.status === "rejected" ? [{ i, reason: o.reason as unknown }] : [],
    );
    expect(rejected.map((r) => r.i)).toEqual([7]);
    expect(isAuditWriteError(rejected[0]!.reason)).toBe(true);
    const written = await query<{ request_id: string }>(
      "SELECT request_id FROM audit_events WHERE actor_user_id = 'batch' ORDER BY seq",
    );
    expect(written.map((r) => r.request_id)).toEqual(
      Array.from({ length: 16 }, (_, i) => `batch-${i}`).filter((id) => id !== "batch-7"),
    );
    expect(await chainIsValid()).toMatchObject({ ok: true, count: before + 15 });
  });

  it("refuses every waiter when the database connection dies mid-batch, so no action runs", async () => {
    const before = Number((await query<{ n: string }>("SELECT count(*)::text AS n FROM audit_events"))[0]!.n);
    const principal = testPrincipal({ userId: "u-1", username: "sam", displayName: "Sam", role: "admin" });
    const performed: number[] = [];
    const lock = await holdChainLock();
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      const actions = Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          runAuditedClusterAction(
            principal,
            "secret.force_sync",
            { cluster: "sandbox", namespace: "team", kind: "ExternalSecret", name: `s-${i}` },
            async () => {
              performed.push(i);
              return i;
            },
            () => ({}),
          ),
        ),
      );
      let settled = false;
      void actions.then(() => (settled = true));
      // Every batch that reaches the database waits for the lock there: its connection is killed (as
      // when the database restarts), until no caller is left waiting.
      while (!settled) {
        for (const pid of await lockWaiters(lock.pid)) await query("SELECT pg_terminate_backend($1)", [pid]);
        await new Promise((r) => setTimeout(r, 20));
      }
      outcomes = await actions;
    } finally {
      await lock.release();
    }
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill("rejected"));
    for (const outcome of outcomes)
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: "unavailable" });
    expect(performed).toEqual([]);
    expect(await chainIsValid()).toMatchObject({ ok: true, count: before });
    // The appender recovers on a new connection once the database is back.
    await expect(appendAuditEvent(prisma, event("after", 0))).resolves.toMatchObject({
      seq: String(before + 1),
    });
  });
});
