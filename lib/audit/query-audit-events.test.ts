import { beforeAll, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { appendAuditEvent } from "./append-audit-event";
import type { AuditEventInput } from "./audit-event-input";
import type { AuditFilters } from "./audit-filters";
import { queryAuditEvents, queryAuditRows, secretHistoryQuery } from "./query-audit-events";

// The Audit page's reads against a real Postgres: every filter, newest-first cursor pages that neither
// skip nor repeat events while more are appended, and a secret's own history.

const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, "0")}:00.000Z`;

const events: AuditEventInput[] = [
  {
    actor: { userId: "u-ada", name: "ada", role: "developer", ip: "10.0.0.1" },
    action: "seal.requested",
    target: {
      cluster: "sandbox",
      namespace: "payments",
      kind: "SealedSecret",
      name: "db",
      keys: ["PASSWORD"],
    },
    outcome: "success",
    details: { scope: "strict" },
  },
  {
    actor: { userId: "u-ada", name: "ada", role: "developer" },
    action: "secret.viewed",
    target: { cluster: "sandbox", namespace: "payments", kind: "SealedSecret", name: "db" },
    outcome: "success",
  },
  {
    actor: { userId: "u-lead", name: "grace", role: "security-lead" },
    action: "secret.force_sync.requested",
    target: { cluster: "sandbox", namespace: "web", kind: "ExternalSecret", name: "api" },
    outcome: "pending",
  },
  {
    actor: { userId: "u-lead", name: "grace", role: "security-lead" },
    action: "secret.force_sync",
    target: { cluster: "sandbox", namespace: "web", kind: "ExternalSecret", name: "api" },
    outcome: "failure",
    details: { error: "cluster unreachable" },
  },
  {
    actor: { name: "mallory" },
    action: "auth.sign_in_failed",
    outcome: "failure",
    details: { reason: "bad password 100%_sure" },
  },
  {
    actor: { userId: "u-ada", name: "ada", role: "developer" },
    action: "secret.viewed",
    target: { cluster: "prod", kind: "ClusterExternalSecret", name: "shared" },
    outcome: "success",
  },
];

describe("queryAuditEvents", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 2 });

  beforeAll(async () => {
    for (const event of events) await appendAuditEvent(pool, event);
    // Spread the times out (as the owner, with the append-only triggers off) so time filters can be tested.
    const client = await pool.connect();
    try {
      await client.query("SET session_replication_role = replica");
      for (let seq = 1; seq <= events.length; seq++)
        await client.query("UPDATE audit_events SET time = $1 WHERE seq = $2", [at(seq * 10 - 10), seq]);
    } finally {
      await client.query("RESET session_replication_role");
      client.release();
    }
  });

  const seqs = async (filters: AuditFilters) =>
    (await queryAuditEvents(pool, filters, { limit: 200 })).events.map((e) => Number(e.seq));

  it("returns every event newest first, in the API's shape", async () => {
    const page = await queryAuditEvents(pool, {}, { limit: 200 });
    expect(page.nextCursor).toBeNull();
    expect(page.events.map((e) => Number(e.seq))).toEqual([6, 5, 4, 3, 2, 1]);
    // The first event comes back as it was written, with what the input left out as null.
    const first = events[0]!;
    expect(page.events.at(-1)).toMatchObject({
      seq: "1",
      time: at(0),
      ...first,
      actor: { ...first.actor, userAgent: null },
      pullRequestUrl: null,
      prevHash: "0".repeat(64),
    });
    expect(page.events[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    // Each event's prev_hash is the previous event's hash.
    for (let i = 0; i < page.events.length - 1; i++)
      expect(page.events[i]!.prevHash).toBe(page.events[i + 1]!.hash);
  });

  it("filters by each field", async () => {
    expect(await seqs({ actor: "ada" })).toEqual([6, 2, 1]);
    expect(await seqs({ actor: "u-lead" })).toEqual([4, 3]);
    expect(await seqs({ action: "secret.viewed" })).toEqual([6, 2]);
    expect(await seqs({ cluster: "sandbox" })).toEqual([4, 3, 2, 1]);
    expect(await seqs({ namespace: "web" })).toEqual([4, 3]);
    expect(await seqs({ kind: "ExternalSecret" })).toEqual([4, 3]);
    expect(await seqs({ name: "db" })).toEqual([2, 1]);
    expect(await seqs({ outcome: "failure" })).toEqual([5, 4]);
    expect(await seqs({ from: at(10), to: at(30) })).toEqual([3, 2]);
    expect(await seqs({ from: "2026-11-23T11:20:00+01:00" })).toEqual([6, 5, 4, 3]);
    expect(await seqs({ cluster: "sandbox", outcome: "success", name: "db", actor: "ada" })).toEqual([2, 1]);
  });

  it("matches an action family by prefix, but not a partial word", async () => {
    expect(await seqs({ action: "secret" })).toEqual([6, 4, 3, 2]);
    expect(await seqs({ action: "secret.force_sync" })).toEqual([4, 3]);
    expect(await seqs({ action: "auth" })).toEqual([5]);
    expect(await seqs({ action: "secr" })).toEqual([]);
    expect(await seqs({ action: "secret.%" })).toEqual([]);
  });

  it("searches free text over action, actor, target and details, LIKE characters literally", async () => {
    expect(await seqs({ text: "FORCE_SYNC" })).toEqual([4, 3]);
    expect(await seqs({ text: "grace" })).toEqual([4, 3]);
    expect(await seqs({ text: "payments" })).toEqual([2, 1]);
    expect(await seqs({ text: "unreachable" })).toEqual([4]);
    expect(await seqs({ text: "100%_sure" })).toEqual([5]);
    expect(await seqs({ text: "%" })).toEqual([5]);
  });

  it("pages by cursor without skipping or repeating events appended meanwhile", async () => {
    const first = await queryAuditEvents(pool, {}, { limit: 4 });
    expect(first.events.map((e) => e.seq)).toEqual(["6", "5", "4", "3"]);
    expect(first.nextCursor).toBe("3");
    await appendAuditEvent(pool, { action: "test.appended_meanwhile", outcome: "success" });
    const second = await queryAuditEvents(pool, {}, { cursor: first.nextCursor!, limit: 4 });
    expect(second.events.map((e) => e.seq)).toEqual(["2", "1"]);
    expect(second.nextCursor).toBeNull();
    // Exactly `limit` left: no empty page after it.
    const exact = await queryAuditEvents(pool, { actor: "ada" }, { limit: 3 });
    expect(exact.nextCursor).toBeNull();
    const filtered = await queryAuditEvents(pool, { actor: "ada" }, { limit: 2 });
    expect(filtered.events.map((e) => e.seq)).toEqual(["6", "2"]);
    const rest = await queryAuditEvents(pool, { actor: "ada" }, { cursor: filtered.nextCursor!, limit: 2 });
    expect(rest.events.map((e) => e.seq)).toEqual(["1"]);
  });

  it("reads one secret's history, including a cluster-scoped one", async () => {
    const history = await queryAuditRows(
      pool,
      secretHistoryQuery({ cluster: "sandbox", namespace: "payments", kind: "SealedSecret", name: "db" }),
      { limit: 10 },
    );
    expect(history.events.map((e) => e.action)).toEqual(["secret.viewed", "seal.requested"]);
    const other = await queryAuditRows(
      pool,
      secretHistoryQuery({ cluster: "sandbox", namespace: "payments", kind: "ExternalSecret", name: "db" }),
      { limit: 10 },
    );
    expect(other.events).toEqual([]);
    const clusterScoped = await queryAuditRows(
      pool,
      secretHistoryQuery({ cluster: "prod", namespace: null, kind: "ClusterExternalSecret", name: "shared" }),
      { limit: 10 },
    );
    expect(clusterScoped.events.map((e) => e.seq)).toEqual(["6"]);
  });

  it("puts a change proposed for two clusters on each cluster's timeline, and in each cluster's filter", async () => {
    const both = {
      cluster: null,
      namespace: "shop",
      kind: "SealedSecret",
      name: "orders",
      keys: ["TOKEN"],
    };
    const appended: string[] = [];
    for (const event of [
      { action: "secret.seal.requested", target: both, outcome: "pending" as const },
      { action: "pull_request.opened", target: both, outcome: "success" as const },
      { action: "pull_request.merged", target: both, outcome: "success" as const },
    ])
      appended.push(
        (
          await appendAuditEvent(pool, {
            actor: { userId: "u-ada", name: "ada", role: "developer" },
            ...event,
            details: { clusters: ["sandbox", "sandbox-2"] },
          })
        ).seq,
      );
    // Observed on one cluster only, and a same-named secret's proposal for another cluster alone.
    const observed = await appendAuditEvent(pool, {
      actor: { name: "rotation watcher" },
      action: "rotation.observed",
      target: { ...both, cluster: "sandbox-2" },
      outcome: "success",
    });
    await appendAuditEvent(pool, {
      actor: { name: "ada" },
      action: "secret.seal.requested",
      target: both,
      outcome: "pending",
      details: { clusters: ["prod"] },
    });
    const timeline = async (cluster: string) =>
      (
        await queryAuditRows(
          pool,
          secretHistoryQuery({ cluster, namespace: "shop", kind: "SealedSecret", name: "orders" }),
          { limit: 10 },
        )
      ).events.map((e) => e.seq);
    expect(await timeline("sandbox")).toEqual([...appended].reverse());
    expect(await timeline("sandbox-2")).toEqual([observed.seq, ...[...appended].reverse()]);
    expect(await timeline("staging")).toEqual([]);
    expect(
      (await queryAuditEvents(pool, { cluster: "sandbox-2", name: "orders" }, { limit: 10 })).events.map(
        (e) => e.seq,
      ),
    ).toEqual([observed.seq, ...[...appended].reverse()]);
  });
});
