import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { observeValues } from "@/lib/audit/observe-rotations";
import { loadRotationEvidence } from "@/lib/rotation/load-rotation-evidence";
import { REENCRYPTION_ANNOTATION, SEALED_WITH_ANNOTATION, formatReencryptionMarker } from "@/lib/sealing";
import type { PrismaClient } from "@/lib/db/generated/client";
import { createPrismaClient } from "@/lib/db/prisma";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually, kubeClient } from "@/sandbox/testing/kube-request";
import { Inventory } from "./inventory";
import { loadClusterRegistry } from "./load-cluster-registry";
import { RotationWatcher } from "./rotation-watcher";

// Two "replicas" (each its own inventory, watcher and database client) watching the sandbox: the
// start is a baseline, a changed SealedSecret key or ExternalSecret data-hash is one event however many
// watch, linked to its pull request, and a change made while nobody watched is recorded at the next start.

let sandbox: Sandbox;
let db: TestDatabase;
let api: ReturnType<typeof kubeClient>;
let originalPassword = "";
const replicas: { inventory: Inventory; prisma: PrismaClient; watcher: RotationWatcher }[] = [];

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const ssPath = "/apis/bitnami.com/v1alpha1/namespaces/production/sealedsecrets/database-credentials";
const esPath = "/apis/external-secrets.io/v1/namespaces/production/externalsecrets/stripe-credentials";
const dbKey = (key: string) =>
  ({
    cluster: "sandbox",
    kind: "SealedSecret",
    namespace: "production",
    name: "database-credentials",
    key,
  }) as const;
const stripe = {
  cluster: "sandbox",
  kind: "ExternalSecret",
  namespace: "production",
  name: "stripe-credentials",
  key: "",
} as const;

function watcherFor(inventory: Inventory, prisma: PrismaClient) {
  const watcher = new RotationWatcher(inventory.clusters, {
    record: (observations) => observeValues(prisma, observations),
    batchDelayMs: 50,
    retryMs: 200,
  });
  watcher.start();
  return watcher;
}

async function encryptedData(): Promise<Record<string, string>> {
  return (await api.send("GET", ssPath)).json<{ spec: { encryptedData: Record<string, string> } }>().spec
    .encryptedData;
}

const patch = (path: string, body: unknown) =>
  api.send("PATCH", path, { body, headers: { "Content-Type": "application/merge-patch+json" } });

const rotationEvents = () =>
  replicas[0]!.prisma.auditEvent.findMany({
    where: { action: "rotation.observed" },
    orderBy: { seq: "asc" },
  });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
  await sandbox.clusters[0]!.settle();
  api = kubeClient(sandbox.kubeconfig);
  db = await createMigratedDatabase();
  for (let i = 0; i < 2; i++) {
    const inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
    inventory.start();
    await inventory.ready(60_000);
    const prisma = createPrismaClient(db.url);
    replicas.push({ inventory, prisma, watcher: watcherFor(inventory, prisma) });
  }
});

afterAll(async () => {
  for (const { inventory, prisma, watcher } of replicas) {
    watcher.stop();
    inventory.stop();
    await prisma.$disconnect();
  }
  await sandbox?.stop();
  await db?.drop();
});

describe("rotation watcher against the sandbox", () => {
  it("the first look is a baseline: every key is stored, no event is recorded", async () => {
    const data = await encryptedData();
    for (const { watcher } of replicas) {
      await eventually(
        () =>
          watcher.recordedHash(dbKey("DB_PASSWORD")) === sha256(data.DB_PASSWORD!) &&
          watcher.recordedHash(stripe) &&
          watcher.backlog === 0
            ? true
            : undefined,
        600,
      );
    }
    const prisma = replicas[0]!.prisma;
    const sealedSecrets = (await api.send("GET", "/apis/bitnami.com/v1alpha1/sealedsecrets")).json<{
      items: { spec: { encryptedData: Record<string, string> } }[];
    }>().items;
    const keyCount = sealedSecrets.reduce((n, s) => n + Object.keys(s.spec.encryptedData).length, 0);
    expect(await prisma.observedRotation.count({ where: { kind: "SealedSecret" } })).toBe(keyCount);
    expect(await prisma.observedRotation.count({ where: { kind: "ExternalSecret" } })).toBeGreaterThan(0);
    expect(await prisma.observedRotation.count({ where: { NOT: { previousHash: null } } })).toBe(0);
    expect(await rotationEvents()).toHaveLength(0);
    // Hashes only: no ciphertext is kept.
    const rows = JSON.stringify(
      (await prisma.observedRotation.findMany()).map(({ id, ...row }) => ({ ...row, id: String(id) })),
    );
    expect(rows).not.toContain(data.DB_PASSWORD!.slice(0, 40));
    expect(rows).toContain(sha256(data.DB_PASSWORD!));
  });

  it("a changed key seen by two replicas is one event, linked to its pull request", async () => {
    const prisma = replicas[0]!.prisma;
    await prisma.proposal.create({
      data: {
        repository: "gitops",
        provider: "github",
        number: 17,
        url: "https://github.com/acme/gitops/pull/17",
        branch: "sealdeck/production/database-credentials",
        baseBranch: "main",
        headSha: "c".repeat(40),
        state: "merged",
        title: "Rotate production/database-credentials: DB_PASSWORD",
        namespace: "production",
        name: "database-credentials",
        clusters: ["sandbox"],
        keys: ["DB_PASSWORD"],
        requestedByName: "developer",
      },
    });
    const before = await encryptedData();
    originalPassword = before.DB_PASSWORD!;
    // Another valid ciphertext of the same secret (strict scope): the controller can still unseal it.
    const rotated = before.DB_USER!;
    expect((await patch(ssPath, { spec: { encryptedData: { DB_PASSWORD: rotated } } })).status).toBe(200);
    for (const { watcher } of replicas) {
      await eventually(
        () => (watcher.recordedHash(dbKey("DB_PASSWORD")) === sha256(rotated) ? true : undefined),
        600,
      );
    }
    const events = await rotationEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "rotation.observed",
      targetCluster: "sandbox",
      targetNamespace: "production",
      targetKind: "SealedSecret",
      targetName: "database-credentials",
      targetKeys: ["DB_PASSWORD"],
      pullRequestUrl: "https://github.com/acme/gitops/pull/17",
    });
    expect(events[0]!.details).toMatchObject({
      ciphertextSha256: sha256(rotated),
      previousCiphertextSha256: sha256(before.DB_PASSWORD!),
    });
  });

  it("an ExternalSecret whose target's data-hash changes is one event for the whole secret", async () => {
    const before = replicas.map(({ watcher }) => watcher.recordedHash(stripe));
    expect(before[0]).toBeDefined();
    // Switch the source to another version of the remote value: ESO writes new data, a new data-hash.
    const data = ["api_key", "webhook_secret"].map((property) => ({
      secretKey: property === "api_key" ? "STRIPE_API_KEY" : "STRIPE_WEBHOOK_SECRET",
      remoteRef: { key: "/payments/stripe", property, version: "v1" },
    }));
    expect((await patch(esPath, { spec: { data } })).status).toBe(200);
    for (const [i, { watcher }] of replicas.entries()) {
      await eventually(() => {
        const now = watcher.recordedHash(stripe);
        return now && now !== before[i] ? true : undefined;
      }, 600);
    }
    const events = (await rotationEvents()).filter((e) => e.targetKind === "ExternalSecret");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      targetNamespace: "production",
      targetName: "stripe-credentials",
      targetKeys: ["STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET"],
      pullRequestUrl: null,
    });
  });

  it("forgets a deleted SealedSecret, and its re-creation with the same values is nothing new", async () => {
    const path = "/apis/bitnami.com/v1alpha1/namespaces/production/sealedsecrets/gateway-tls";
    const original = (await api.send("GET", path)).json<{
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace: string; labels?: Record<string, string> };
      spec: { encryptedData: Record<string, string> };
    }>();
    const key = { ...dbKey("tls.key"), name: "gateway-tls" };
    const watcher = replicas[0]!.watcher;
    expect(watcher.recordedHash(key)).toBe(sha256(original.spec.encryptedData["tls.key"]!));
    const eventsBefore = (await rotationEvents()).length;
    expect((await api.send("DELETE", path)).status).toBe(200);
    await eventually(() => (watcher.recordedHash(key) === undefined ? true : undefined), 600);
    const { apiVersion, kind, metadata, spec } = original;
    const recreated = {
      apiVersion,
      kind,
      metadata: { name: metadata.name, namespace: metadata.namespace },
      spec,
    };
    expect(
      (
        await api.send("POST", "/apis/bitnami.com/v1alpha1/namespaces/production/sealedsecrets", {
          body: recreated,
        })
      ).status,
    ).toBe(201);
    for (const { watcher: each } of replicas) {
      await eventually(
        () =>
          each.recordedHash(key) === sha256(spec.encryptedData["tls.key"]!) && each.backlog === 0
            ? true
            : undefined,
        600,
      );
    }
    expect(await rotationEvents()).toHaveLength(eventsBefore);
  });

  it("a change made while no replica watched is recorded at the next start, and only that one", async () => {
    for (const { watcher } of replicas) watcher.stop();
    const before = await encryptedData();
    // DB_USER takes the ciphertext DB_PASSWORD held first: new for this key.
    const changed = originalPassword;
    expect(changed).not.toBe(before.DB_USER);
    expect((await patch(ssPath, { spec: { encryptedData: { DB_USER: changed } } })).status).toBe(200);
    const eventsBefore = (await rotationEvents()).length;
    // A fresh process: it knows nothing in memory and compares what it lists with the table.
    const restarted = watcherFor(replicas[0]!.inventory, replicas[0]!.prisma);
    try {
      await eventually(
        () =>
          restarted.recordedHash(dbKey("DB_USER")) === sha256(changed) &&
          restarted.recordedHash(stripe) &&
          restarted.backlog === 0
            ? true
            : undefined,
        600,
      );
    } finally {
      restarted.stop();
    }
    const events = await rotationEvents();
    expect(events).toHaveLength(eventsBefore + 1);
    expect(events.at(-1)).toMatchObject({ targetName: "database-credentials", targetKeys: ["DB_USER"] });
  });

  it("records a re-encrypted SealedSecret as a re-encryption, not a rotation, and a later rotation as one", async () => {
    const path = "/apis/bitnami.com/v1alpha1/namespaces/development/sealedsecrets/api-keys";
    const key = (k: string) => ({ ...dbKey(k), namespace: "development", name: "api-keys" });
    const prisma = replicas[0]!.prisma;
    const watcher = watcherFor(replicas[0]!.inventory, prisma);
    try {
      const read = async () =>
        (await api.send("GET", path)).json<{ spec: { encryptedData: Record<string, string> } }>().spec
          .encryptedData;
      const before = await read();
      await eventually(
        () =>
          watcher.recordedHash(key("MAPS_API_KEY")) === sha256(before.MAPS_API_KEY!) && watcher.backlog === 0
            ? true
            : undefined,
        600,
      );
      const rotationsBefore = (await rotationEvents()).length;
      const oldKey = "1".repeat(64);
      const newKey = "2".repeat(64);
      // What a merged and synced re-encryption pull request applies: new ciphertexts (another string
      // stands in for the controller's answer), sealed-with moved to the newest key, and the marker
      // listing each new ciphertext's SHA-256.
      const reencrypted = { MAPS_API_KEY: before.SEARCH_API_KEY!, SEARCH_API_KEY: before.MAPS_API_KEY! };
      const annotations = {
        [SEALED_WITH_ANNOTATION]: newKey,
        [REENCRYPTION_ANNOTATION]: formatReencryptionMarker({
          from: oldKey,
          to: newKey,
          sha256: Object.fromEntries(Object.entries(reencrypted).map(([k, v]) => [k, sha256(v)])),
        }),
      };
      expect(
        (await patch(path, { metadata: { annotations }, spec: { encryptedData: reencrypted } })).status,
      ).toBe(200);
      await eventually(
        () =>
          watcher.recordedHash(key("MAPS_API_KEY")) === sha256(reencrypted.MAPS_API_KEY) &&
          watcher.recordedHash(key("SEARCH_API_KEY")) === sha256(reencrypted.SEARCH_API_KEY) &&
          watcher.backlog === 0
            ? true
            : undefined,
        600,
      );
      expect(await rotationEvents()).toHaveLength(rotationsBefore);
      const reencryptions = await prisma.auditEvent.findMany({
        where: { action: "secret.reencryption.observed", targetName: "api-keys" },
        orderBy: { seq: "asc" },
      });
      expect(reencryptions.map((e) => e.targetKeys)).toEqual([["MAPS_API_KEY"], ["SEARCH_API_KEY"]]);
      expect(reencryptions[0]!.details).toMatchObject({
        ciphertextSha256: sha256(reencrypted.MAPS_API_KEY),
        previousCiphertextSha256: sha256(before.MAPS_API_KEY!),
        previousKey: oldKey,
        newKey,
      });
      const evidence = async () =>
        (await loadRotationEvidence(prisma, async () => [])).observed.filter((o) => o.name === "api-keys");
      expect(await evidence()).toEqual([]);

      // A later real rotation of one key: a new ciphertext the marker (left in place) does not list.
      const rotated = Buffer.from("made-up rotated ciphertext").toString("base64");
      expect((await patch(path, { spec: { encryptedData: { MAPS_API_KEY: rotated } } })).status).toBe(200);
      await eventually(
        () =>
          watcher.recordedHash(key("MAPS_API_KEY")) === sha256(rotated) && watcher.backlog === 0
            ? true
            : undefined,
        600,
      );
      const rotations = await rotationEvents();
      expect(rotations).toHaveLength(rotationsBefore + 1);
      expect(rotations.at(-1)).toMatchObject({ targetName: "api-keys", targetKeys: ["MAPS_API_KEY"] });
      expect(rotations.at(-1)!.details).toMatchObject({
        previousCiphertextSha256: sha256(reencrypted.MAPS_API_KEY),
      });
      expect((await evidence()).map((o) => o.key)).toEqual(["MAPS_API_KEY"]);
    } finally {
      watcher.stop();
    }
  });
});
