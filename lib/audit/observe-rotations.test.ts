import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/db/generated/client";
import { ensureAppRole } from "@/lib/db/ensure-app-role";
import { createPrismaClient } from "@/lib/db/prisma";
import { loadRotationEvidence } from "@/lib/rotation/load-rotation-evidence";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { insertK8sAccessEvents } from "./k8s-access/insert-k8s-access-events";
import { observeValues, ROTATION_WATCHER_ACTOR, type ValueObservation } from "./observe-rotations";

// observeValues against a real database: baselines, rotations, exactly once across "replicas" (two
// clients racing on the same observations), fail-closed, and the pull request match.

let db: TestDatabase;
let replicaA: PrismaClient;
let replicaB: PrismaClient;

beforeAll(async () => {
  db = await createMigratedDatabase();
  replicaA = createPrismaClient(db.url);
  replicaB = createPrismaClient(db.url);
});
afterAll(async () => {
  await replicaA?.$disconnect();
  await replicaB?.$disconnect();
  await db?.drop();
});
beforeEach(async () => {
  await replicaA.$executeRawUnsafe("TRUNCATE observed_rotations, proposals");
});

const hash = (text: string) => createHash("sha256").update(text).digest("hex");
const sealed = (
  name: string,
  key: string,
  value: string,
  extra: Partial<ValueObservation> = {},
): ValueObservation => ({
  cluster: "prod",
  kind: "SealedSecret",
  namespace: "payments",
  name,
  key,
  valueHash: hash(value),
  resourceVersion: "1",
  ...extra,
});

async function rotationEvents(name?: string) {
  return replicaA.auditEvent.findMany({
    where: { action: "rotation.observed", ...(name ? { targetName: name } : {}) },
    orderBy: { seq: "asc" },
  });
}

describe("observeValues", () => {
  it("records a baseline for first sightings and no audit event", async () => {
    const before = (await rotationEvents()).length;
    const result = await observeValues(replicaA, [sealed("base", "a", "A1"), sealed("base", "b", "B1")]);
    expect(result).toMatchObject({ baselines: 2, rotations: [], known: 0 });
    expect(await rotationEvents()).toHaveLength(before);
    // Seeing the same values again (a relist, a restart, another replica) is nothing new.
    expect(
      await observeValues(replicaB, [sealed("base", "a", "A1"), sealed("base", "b", "B1")]),
    ).toMatchObject({
      baselines: 0,
      rotations: [],
      known: 2,
    });
    const rows = await replicaA.observedRotation.findMany({ where: { name: "base" } });
    expect(rows.every((r) => r.previousHash === null)).toBe(true);
  });

  it("records a changed value as one rotation.observed event for that key", async () => {
    await observeValues(replicaA, [sealed("db", "password", "P1"), sealed("db", "user", "U1")]);
    const result = await observeValues(replicaA, [
      sealed("db", "password", "P2", { resourceVersion: "2" }),
      sealed("db", "user", "U1", { resourceVersion: "2" }),
    ]);
    expect(result.baselines).toBe(0);
    expect(result.rotations).toHaveLength(1);
    const [event] = await rotationEvents("db");
    expect(event).toMatchObject({
      actorName: ROTATION_WATCHER_ACTOR,
      targetCluster: "prod",
      targetNamespace: "payments",
      targetKind: "SealedSecret",
      targetName: "db",
      targetKeys: ["password"],
      outcome: "success",
      pullRequestUrl: null,
    });
    expect(event!.details).toMatchObject({
      source: "encryptedData",
      ciphertextSha256: hash("P2"),
      previousCiphertextSha256: hash("P1"),
      resourceVersion: "2",
    });
    expect(String(result.rotations[0]!.auditSeq)).toBe(String(event!.seq));
    // A second change is a second event; its previous value is the last one recorded.
    await observeValues(replicaA, [sealed("db", "password", "P3")]);
    const events = await rotationEvents("db");
    expect(events).toHaveLength(2);
    expect(events[1]!.details).toMatchObject({ previousCiphertextSha256: hash("P2") });
  });

  it("two replicas racing on the same change record exactly one event", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    await observeValues(
      replicaA,
      keys.map((k) => sealed("race", k, `${k}-v1`)),
    );
    for (let round = 2; round <= 4; round++) {
      const changed = keys.map((k) => sealed("race", k, `${k}-v${round}`));
      const [a, b] = await Promise.all([
        observeValues(replicaA, changed, { chunkSize: 7 }),
        observeValues(replicaB, [...changed].reverse(), { chunkSize: 11 }),
      ]);
      expect(a.rotations.length + b.rotations.length).toBe(keys.length);
      expect(a.known + b.known).toBe(keys.length);
    }
    const events = await rotationEvents("race");
    expect(events).toHaveLength(keys.length * 3);
    const perKey = new Map<string, number>();
    for (const e of events) perKey.set(e.targetKeys[0]!, (perKey.get(e.targetKeys[0]!) ?? 0) + 1);
    expect([...perKey.values()].every((n) => n === 3)).toBe(true);
  });

  it("fails closed: when the audit event cannot be written, the observation is not kept either", async () => {
    await observeValues(replicaA, [sealed("closed", "k", "v1")]);
    const failing = {
      $transaction: <T>(fn: (tx: never) => Promise<T>) =>
        replicaA.$transaction(async (tx) =>
          fn({
            $queryRawUnsafe: (query: string, ...values: unknown[]) =>
              query.startsWith("INSERT INTO audit_events")
                ? Promise.reject(new Error("database is read-only"))
                : tx.$queryRawUnsafe(query, ...values),
          } as never),
        ),
    };
    await expect(observeValues(failing, [sealed("closed", "k", "v2")])).rejects.toMatchObject({
      details: { reason: "audit_write_failed" },
    });
    expect(await replicaA.observedRotation.count({ where: { name: "closed" } })).toBe(1);
    // The retry records it.
    expect((await observeValues(replicaA, [sealed("closed", "k", "v2")])).rotations).toHaveLength(1);
  });

  it("links the pull request that matches: same secret, cluster and key, merged or open, the newest", async () => {
    const proposal = (
      number: number,
      data: Partial<Parameters<PrismaClient["proposal"]["create"]>[0]["data"]>,
    ) =>
      replicaA.proposal.create({
        data: {
          repository: "deploy",
          provider: "github",
          number,
          url: `https://github.com/acme/deploy/pull/${number}`,
          branch: `sealdeck/payments/linked-${number}`,
          baseBranch: "main",
          headSha: "a".repeat(40),
          state: "merged",
          title: `Rotate ${number}`,
          namespace: "payments",
          name: "linked",
          clusters: ["prod", "staging"],
          keys: ["password"],
          requestedByName: "dev",
          ...data,
        },
      });
    await observeValues(replicaA, [sealed("linked", "password", "L1"), sealed("linked", "api", "X1")]);
    await proposal(1, { createdAt: new Date(Date.now() - 60_000) });
    await proposal(2, {});
    await proposal(3, { state: "closed" });
    await proposal(4, { clusters: ["staging"] });
    await proposal(5, { keys: ["other"] });
    await proposal(6, { name: "elsewhere" });
    const result = await observeValues(replicaA, [
      sealed("linked", "password", "L2"),
      sealed("linked", "api", "X2"),
    ]);
    const byKey = Object.fromEntries(result.rotations.map((r) => [r.key, r]));
    expect(byKey.password!.pullRequestUrl).toBe("https://github.com/acme/deploy/pull/2");
    expect(byKey.api!.pullRequestUrl).toBeNull();
    const [event] = (await rotationEvents("linked")).filter((e) => e.targetKeys[0] === "password");
    expect(event).toMatchObject({ pullRequestUrl: "https://github.com/acme/deploy/pull/2" });
    expect(event!.details).toMatchObject({
      pullRequest: { repository: "deploy", number: 2, state: "merged" },
    });
  });

  it("does not link a pull request that was done before the previous value was seen", async () => {
    await replicaA.proposal.create({
      data: {
        repository: "deploy",
        provider: "github",
        number: 9,
        url: "https://github.com/acme/deploy/pull/9",
        branch: "sealdeck/payments/old",
        baseBranch: "main",
        headSha: "b".repeat(40),
        state: "merged",
        title: "old",
        namespace: "payments",
        name: "old",
        clusters: ["prod"],
        keys: ["password"],
        requestedByName: "dev",
      },
    });
    // The pull request's change is the value first seen after it: the next change is someone else's.
    await observeValues(replicaA, [sealed("old", "password", "O1")]);
    const result = await observeValues(replicaA, [sealed("old", "password", "O2")]);
    expect(result.rotations[0]!.pullRequestUrl).toBeNull();
  });

  it("records an ExternalSecret's changed data-hash for the whole secret with its key names", async () => {
    const es = (value: string): ValueObservation => ({
      cluster: "prod",
      kind: "ExternalSecret",
      namespace: "payments",
      name: "stripe",
      key: "",
      valueHash: hash(value),
      keys: ["API_KEY", "WEBHOOK_SECRET"],
    });
    await observeValues(replicaA, [es("h1")]);
    const result = await observeValues(replicaB, [es("h2")]);
    expect(result.rotations).toHaveLength(1);
    const [event] = await rotationEvents("stripe");
    expect(event).toMatchObject({ targetKind: "ExternalSecret", targetKeys: ["API_KEY", "WEBHOOK_SECRET"] });
    expect(event!.details).toMatchObject({ source: "reconcile.external-secrets.io/data-hash" });
    expect(event!.details).not.toHaveProperty("ciphertextSha256");
  });

  it("works as the restricted runtime role (INSERT and SELECT only)", async () => {
    const role = `sealdeck_app_${randomBytes(4).toString("hex")}`;
    const app = await ensureAppRole(db.url, { role });
    const runtime = createPrismaClient(app.url);
    try {
      await observeValues(runtime, [sealed("runtime", "k", "r1")]);
      expect((await observeValues(runtime, [sealed("runtime", "k", "r2")])).rotations).toHaveLength(1);
      const stored = await insertK8sAccessEvents(runtime, "prod", [
        {
          audit_id: "runtime-1",
          stage: "ResponseComplete",
          time: "2026-11-23T15:00:00.000001Z",
          username: "u",
          groups: [],
          impersonated_user: null,
          verb: "get",
          resource: "secrets",
          subresource: null,
          api_group: "",
          api_version: "v1",
          namespace: "payments",
          name: "db",
          source_ips: [],
          user_agent: null,
          response_code: 200,
          request_uri: null,
        },
      ]);
      expect(stored).toBe(1);
      // Append-only for the app: it cannot rewrite what it observed.
      await expect(
        runtime.$executeRawUnsafe("UPDATE observed_rotations SET value_hash = value_hash"),
      ).rejects.toThrow();
      await expect(runtime.$executeRawUnsafe("DELETE FROM k8s_access_events")).rejects.toThrow();
    } finally {
      await runtime.$disconnect();
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      await admin.query(`DROP OWNED BY "${role}"`);
      await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      await admin.end();
    }
  });

  it("records a re-encrypted ciphertext as secret.reencryption.observed, not as a rotation, and a later change as one", async () => {
    const K1 = "1".repeat(64);
    const K2 = "2".repeat(64);
    await observeValues(replicaA, [sealed("vault", "root", "R1"), sealed("vault", "unseal", "S1")]);
    // A real rotation first, so there is a rotation the re-encryption must not hide or replace.
    const rotated = await observeValues(replicaA, [sealed("vault", "root", "R2")]);
    expect(rotated.rotations).toHaveLength(1);
    const rotatedAt = (
      await replicaA.observedRotation.findFirstOrThrow({
        where: { name: "vault", key: "root", valueHash: hash("R2") },
      })
    ).observedAt;

    const reencryption = { from: K1, to: K2 };
    const result = await observeValues(replicaA, [
      sealed("vault", "root", "R3", { reencryption }),
      sealed("vault", "unseal", "S2", { reencryption }),
    ]);
    expect(result).toMatchObject({ baselines: 0, rotations: [] });
    expect(result.reencryptions).toHaveLength(2);
    expect(await rotationEvents("vault")).toHaveLength(1);
    const events = await replicaA.auditEvent.findMany({
      where: { action: "secret.reencryption.observed", targetName: "vault" },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.targetKeys)).toEqual([["root"], ["unseal"]]);
    expect(events[0]).toMatchObject({ actorName: ROTATION_WATCHER_ACTOR, pullRequestUrl: null });
    expect(events[0]!.details).toMatchObject({
      ciphertextSha256: hash("R3"),
      previousCiphertextSha256: hash("R2"),
      previousKey: K1,
      newKey: K2,
    });
    // The Rotations evidence still dates root by its rotation, and unseal has none.
    const evidence = async () =>
      (await loadRotationEvidence(replicaA, async () => [])).observed.filter((o) => o.name === "vault");
    expect(await evidence()).toMatchObject([{ key: "root", observedAt: rotatedAt }]);

    // Seen again (another replica, a relist): nothing new.
    expect(await observeValues(replicaB, [sealed("vault", "root", "R3", { reencryption })])).toMatchObject({
      known: 1,
      reencryptions: [],
    });
    // A later real rotation of unseal (no marker for its new ciphertext) is a rotation again, and its
    // previous value is the re-encrypted one.
    const later = await observeValues(replicaA, [sealed("vault", "unseal", "S3")]);
    expect(later.rotations).toHaveLength(1);
    const [, second] = await rotationEvents("vault");
    expect(second).toMatchObject({ targetKeys: ["unseal"] });
    expect(second!.details).toMatchObject({ previousCiphertextSha256: hash("S2") });
    expect((await evidence()).map((o) => o.key).sort()).toEqual(["root", "unseal"]);
  });

  it("ignores a re-encryption marker on an ExternalSecret observation (only ciphertexts are re-encrypted)", async () => {
    const external = (value: string, extra: Partial<ValueObservation> = {}): ValueObservation => ({
      ...sealed("eso", "", value, extra),
      kind: "ExternalSecret",
    });
    await observeValues(replicaA, [external("D1")]);
    const result = await observeValues(replicaA, [
      external("D2", { reencryption: { from: null, to: "2".repeat(64) } }),
    ]);
    expect(result.rotations).toHaveLength(1);
    expect(result.reencryptions).toHaveLength(0);
  });

  it("refuses anything but a SHA-256 as the value", async () => {
    await expect(
      observeValues(replicaA, [{ ...sealed("bad", "k", "v"), valueHash: "c2VjcmV0" }]),
    ).rejects.toThrow(/SHA-256/);
  });
});
