import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually } from "@/sandbox/testing/kube-request";
import { kubectlOk } from "@/sandbox/testing/run-kubectl";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { clockMayChangeHealth } from "./compute-health";
import { type InventoryEvent, Inventory } from "./inventory";
import { observeKubeRequests } from "./kube-request";
import { loadClusterRegistry } from "./load-cluster-registry";
import { METADATA_LIST_ACCEPT, METADATA_WATCH_ACCEPT } from "./resource-kinds";
import { streamInventoryEvents } from "./stream-inventory-events";

// The inventory against the sandbox's demo estate: what a user sees on first open, live changes made
// with the stock kubectl, and an outage of the cluster.
let sandbox: Sandbox;
let inventory: Inventory;
const requests: { path: string; method: string; headers: Record<string, string> }[] = [];
const stopObserving = observeKubeRequests((r) => requests.push(r));

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
  await sandbox.clusters[0]!.settle();
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
  inventory.start();
  await inventory.ready(60_000);
});

afterAll(async () => {
  stopObserving();
  inventory?.stop();
  await sandbox?.stop();
});

const byId = (id: string) => inventory.get(id);
const find = (namespace: string | null, kind: SecretRecord["kind"], name: string) =>
  inventory.list().find((r) => r.namespace === namespace && r.kind === kind && r.name === name);

describe("inventory against the sandbox demo estate", () => {
  it("labels the cluster as a sandbox and reports it synced", () => {
    const [status] = inventory.clusterStatuses();
    expect(status).toMatchObject({
      name: "sandbox",
      sandbox: true,
      state: "synced",
      externalSecretsVersion: "v1",
    });
  });

  it("shows every seeded SealedSecret with its health", () => {
    const expected: [string, string, SecretRecord["health"]["status"]][] = [
      ["production", "checkout-secrets", "Healthy"],
      ["production", "database-credentials", "Healthy"],
      ["production", "gateway-tls", "Healthy"],
      ["production", "legacy-payment-gateway", "Degraded"],
      ["staging", "agent-secrets", "Healthy"],
      ["staging", "database-credentials", "Healthy"],
      ["development", "api-keys", "Healthy"],
      ["development", "shared-registry", "Healthy"],
    ];
    for (const [namespace, name, health] of expected) {
      expect(find(namespace, "SealedSecret", name)?.health.status, `${namespace}/${name}`).toBe(health);
    }
    expect(inventory.list().filter((r) => r.kind === "SealedSecret")).toHaveLength(expected.length);
    const failing = find("production", "SealedSecret", "legacy-payment-gateway")!;
    expect(failing.health).toMatchObject({
      reason: "Unseal failed",
      message: "no key could decrypt secret (GATEWAY_API_KEY)",
    });
    expect(failing.diagnosis?.cause).toBe("key-missing");
    expect(failing.diagnosis?.summary).toContain("2048-bit");
    expect(find("staging", "SealedSecret", "agent-secrets")?.scope).toBe("namespace-wide");
    expect(find("development", "SealedSecret", "shared-registry")?.scope).toBe("cluster-wide");
    expect(find("production", "SealedSecret", "gateway-tls")).toMatchObject({
      scope: "strict",
      type: "kubernetes.io/tls",
      keys: ["tls.crt", "tls.key"],
      target: { present: true },
    });
  });

  it("shows every seeded ExternalSecret with its health and reason", () => {
    const expected: [
      string | null,
      SecretRecord["kind"],
      string,
      SecretRecord["health"]["status"],
      string,
    ][] = [
      ["production", "ExternalSecret", "stripe-credentials", "Healthy", "SecretSynced"],
      ["production", "ExternalSecret", "orders-database", "Healthy", "SecretSynced"],
      ["production", "ExternalSecret", "analytics-warehouse", "Degraded", "SecretSyncedError"],
      ["production", "ExternalSecret", "legacy-aws-credentials", "Degraded", "SecretSyncedError"],
      ["production", "ExternalSecret", "registry-pull-secret", "Healthy", "SecretSynced"],
      ["staging", "ExternalSecret", "stripe-credentials", "Healthy", "SecretSynced"],
      ["staging", "ExternalSecret", "reporting-database", "Stale", "Refresh overdue"],
      ["staging", "ExternalSecret", "registry-pull-secret", "Healthy", "SecretSynced"],
      ["development", "ExternalSecret", "feature-flags", "Healthy", "SecretSynced"],
      ["development", "ExternalSecret", "stripe-credentials", "Healthy", "SecretSynced"],
      [null, "ClusterExternalSecret", "registry-pull-secret", "Healthy", "Ready"],
    ];
    for (const [namespace, kind, name, status, reason] of expected) {
      expect(find(namespace, kind, name)?.health, `${kind} ${namespace}/${name}`).toMatchObject({
        status,
        reason,
      });
    }
    expect(inventory.list().filter((r) => r.kind !== "SealedSecret")).toHaveLength(expected.length);
    const aws = find("production", "ExternalSecret", "legacy-aws-credentials")!;
    expect(aws.source).toMatchObject({
      store: { kind: "SecretStore", name: "aws-secrets-manager" },
      provider: "aws",
      storeReady: false,
    });
    const orders = find("production", "ExternalSecret", "orders-database")!;
    expect(orders.source).toMatchObject({
      provider: "fake",
      remoteKeys: ["/orders/database"],
      refreshInterval: "15m",
      refreshPolicy: "Periodic",
    });
    expect(orders.keys).toEqual(["DATABASE_URL"]);
    expect(find(null, "ClusterExternalSecret", "registry-pull-secret")?.source).toMatchObject({
      provisionedNamespaces: ["production", "staging"],
    });
  });

  it("finds consumers through env, envFrom, volumes and imagePullSecrets, and the Argo CD application", () => {
    const checkout = find("production", "SealedSecret", "checkout-secrets")!;
    expect(checkout.consumers).toEqual([
      { kind: "Deployment", namespace: "production", name: "checkout", via: ["env"] },
    ]);
    expect(find("production", "ExternalSecret", "registry-pull-secret")?.consumers).toEqual([
      { kind: "Deployment", namespace: "production", name: "checkout", via: ["imagePullSecrets"] },
    ]);
    expect(
      find("production", "ExternalSecret", "orders-database")
        ?.consumers.map((c) => `${c.kind}/${c.name}:${c.via.join("+")}`)
        .sort(),
    ).toEqual(["Deployment/checkout:volume", "StatefulSet/orders-worker:envFrom"]);
    expect(find("production", "ExternalSecret", "analytics-warehouse")?.consumers).toEqual([
      { kind: "CronJob", namespace: "production", name: "nightly-export", via: ["env"] },
    ]);
    expect(find("development", "SealedSecret", "shared-registry")?.consumers).toEqual([
      { kind: "DaemonSet", namespace: "development", name: "log-shipper", via: ["volume"] },
    ]);
    expect(find("production", "SealedSecret", "legacy-payment-gateway")?.application).toMatchObject({
      name: "shop-production",
      sync: "Synced",
      health: "Degraded",
      matchedBy: "destination-namespace",
    });
  });

  it("knows the sealing controller, its certificate and its keys (metadata only)", async () => {
    await eventually(() => (inventory.clusterStatuses()[0]?.controller?.certificate ? true : undefined), 400);
    const controller = inventory.clusterStatuses()[0]!.controller!;
    expect(controller).toMatchObject({
      namespace: "kube-system",
      service: "sealed-secrets-controller",
      port: "http",
      error: null,
    });
    expect(controller.certificate?.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(controller.certificate?.modulusBits).toBe(4096);
    expect(controller.keys.map((k) => k.name)).toContain("sealed-secrets-key-backup");
    expect(controller.keys.length).toBeGreaterThanOrEqual(2);
  });

  it("rebuilds nothing when the controller's periodic refresh finds it unchanged", async () => {
    await eventually(() => (inventory.clusterStatuses()[0]?.controller?.certificate ? true : undefined), 400);
    inventory.flush();
    const rebuild = vi.spyOn(inventory as unknown as { rebuild: () => void }, "rebuild");
    try {
      await inventory.cluster("sandbox")!.refreshController();
      inventory.flush();
      expect(rebuild).not.toHaveBeenCalled();
    } finally {
      rebuild.mockRestore();
    }
  });

  it("never asks for a Secret's data: every Secret request is metadata-only", () => {
    const secretRequests = requests.filter((r) =>
      /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets(\/|\?|$)/.test(r.path),
    );
    expect(secretRequests.some((r) => !r.path.includes("watch=true"))).toBe(true);
    expect(secretRequests.some((r) => r.path.includes("watch=true"))).toBe(true);
    for (const request of secretRequests) {
      const expected = request.path.includes("watch=true") ? METADATA_WATCH_ACCEPT : METADATA_LIST_ACCEPT;
      expect(request.headers.Accept, request.path).toBe(expected);
    }
    expect(
      inventory.clusters[0]!.snapshot().secrets?.every((s) => !("data" in s) && !("stringData" in s)),
    ).toBe(true);
  });

  it("builds each cluster once its first sync is complete: one upsert per record, none rebuilt per kind", async () => {
    const second = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
    const upserts = new Map<string, number>();
    second.subscribe((e) => {
      if (e.type === "upsert") upserts.set(e.record.id, (upserts.get(e.record.id) ?? 0) + 1);
    });
    try {
      second.start();
      await second.ready(60_000);
      expect(second.list().length).toBe(inventory.list().length);
      expect([...upserts.keys()].sort()).toEqual(
        second
          .list()
          .map((r) => r.id)
          .sort(),
      );
      expect([...upserts.values()].every((n) => n === 1)).toBe(true);
      // Built from complete caches: the same records as the inventory that has run all along.
      const view = (records: readonly SecretRecord[]) =>
        [...records]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((r) => [r.id, r.health.status, r.health.reason, r.target, r.consumers, r.application]);
      expect(view(second.list())).toEqual(view(inventory.list()));
    } finally {
      second.stop();
    }
  });

  it("picks up a change made with kubectl", async () => {
    const events: InventoryEvent[] = [];
    const unsubscribe = inventory.subscribe((e) => events.push(e));
    const before = inventory.revision;
    await kubectlOk(sandbox.kubeconfigPath, [
      "label",
      "sealedsecret",
      "api-keys",
      "-n",
      "development",
      "sealdeck.io/probe=changed",
    ]);
    const id = "sandbox/development/SealedSecret/api-keys";
    await eventually(() => (byId(id)?.labels["sealdeck.io/probe"] === "changed" ? true : undefined), 400);
    const event = events.find((e) => e.type === "upsert" && e.record.id === id);
    expect(event?.revision).toBeGreaterThan(before);
    // The change carries the record as it was, so a client can move it between its lists' counts.
    const labelled = events.find(
      (e) => e.type === "upsert" && e.record.id === id && e.record.labels["sealdeck.io/probe"] === "changed",
    );
    expect(labelled?.type === "upsert" && labelled.previous?.id).toBe(id);
    expect(labelled?.type === "upsert" && labelled.previous?.labels["sealdeck.io/probe"]).toBeUndefined();
    await kubectlOk(sandbox.kubeconfigPath, ["delete", "sealedsecret", "api-keys", "-n", "development"]);
    await eventually(() => (byId(id) === undefined ? true : undefined), 400);
    const deleted = events.find((e) => e.type === "delete" && e.id === id);
    expect(deleted?.type === "delete" && deleted.previous?.labels["sealdeck.io/probe"]).toBe("changed");
    unsubscribe();
  });

  it("rebuilds only the changed namespace, to the same records a full rebuild gives", async () => {
    const events: InventoryEvent[] = [];
    const unsubscribe = inventory.subscribe((e) => events.push(e));
    await kubectlOk(sandbox.kubeconfigPath, [
      "label",
      "sealedsecret",
      "agent-secrets",
      "-n",
      "staging",
      "sealdeck.io/probe=namespace-rebuild",
    ]);
    const id = "sandbox/staging/SealedSecret/agent-secrets";
    await eventually(
      () => (byId(id)?.labels["sealdeck.io/probe"] === "namespace-rebuild" ? true : undefined),
      400,
    );
    unsubscribe();
    // Only the changed record was emitted: nothing outside its namespace was rebuilt into an event.
    const upserts = events.filter((e) => e.type === "upsert");
    expect(upserts.map((e) => e.record.id)).toContain(id);
    expect(upserts.every((e) => e.record.namespace === "staging")).toBe(true);
    // And what the namespace rebuild left equals what a full rebuild makes of the same caches.
    const sorted = () =>
      JSON.stringify(
        [...inventory.list()].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, r.health, r.labels]),
      );
    const incremental = sorted();
    const cluster = inventory.cluster("sandbox")!;
    const full = { namespaces: null, clusterScoped: true };
    (inventory as unknown as { rebuild(c: typeof cluster, s: typeof full): void }).rebuild(cluster, full);
    expect(sorted()).toBe(incremental);
  });

  it("a forced full sweep rebuilds every record in slices, yielding to the event loop between them", async () => {
    const before = inventory
      .list()
      .map((r) => r.id)
      .sort();
    const events: InventoryEvent[] = [];
    const unsubscribe = inventory.subscribe((e) => events.push(e));
    let yielded = 0;
    const ticker = setInterval(() => yielded++, 0);
    // A record rebuilt by the sweep gets its clock-dependent fields recomputed: a forged stale health
    // stands in for "its health changed with time", and the sweep must re-emit that record.
    const probe = before[0]!;
    const kept = (inventory as unknown as { records: Map<string, SecretRecord> }).records;
    const original = kept.get(probe)!;
    kept.set(probe, { ...original, health: { ...original.health, message: "forged" } });
    const summary = await inventory.sweep({ full: true });
    expect(summary.fullClusters).toBe(summary.clusters);
    clearInterval(ticker);
    unsubscribe();
    expect(
      inventory
        .list()
        .map((r) => r.id)
        .sort(),
    ).toEqual(before);
    expect(
      events.filter((e) => e.type === "upsert").map((e) => (e.type === "upsert" ? e.record.id : "")),
    ).toEqual([probe]);
    expect(events.some((e) => e.type === "delete")).toBe(false);
    expect(yielded).toBeGreaterThan(0);
  });

  it("a steady sweep rebuilds only namespaces the clock can change, plus the cluster-scoped records", async () => {
    await inventory.sweep({ full: true });
    const kept = (inventory as unknown as { records: Map<string, SecretRecord> }).records;
    const list = inventory.list();
    // Two forged records in two namespaces: a SealedSecret, which the clock cannot change, and an
    // ExternalSecret made a periodic one whose last refresh is long overdue, which it can.
    const external = list.find((r) => r.kind === "ExternalSecret" && r.health.status === "Healthy")!;
    const dueAlready = new Set(
      list.filter((r) => clockMayChangeHealth(r, Date.now())).map((r) => r.namespace),
    );
    const sealed = list.find(
      (r) => r.kind === "SealedSecret" && r.namespace !== external.namespace && !dueAlready.has(r.namespace),
    )!;
    expect(external && sealed).toBeTruthy();
    const due = new Set([...dueAlready, external.namespace]);
    const forgedSealed = { ...sealed, health: { ...sealed.health, message: "forged" } };
    kept.set(sealed.id, forgedSealed);
    const overdue = {
      ...external,
      source: {
        ...external.source,
        refreshPolicy: "Periodic",
        refreshInterval: "1h",
        refreshTime: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      },
      health: { ...external.health, message: "forged" },
    } as SecretRecord;
    kept.set(external.id, overdue);

    const events: InventoryEvent[] = [];
    const unsubscribe = inventory.subscribe((e) => events.push(e));
    const summary = await inventory.sweep();
    unsubscribe();
    expect(summary).toEqual({ clusters: 1, fullClusters: 0, namespaces: due.size });
    expect(due.size).toBeLessThan(new Set(list.map((r) => r.namespace)).size);
    // The due namespace was rebuilt from the cluster's objects: the forged ExternalSecret is replaced.
    const upserted = events.flatMap((e) => (e.type === "upsert" ? [e.record.id] : []));
    expect(upserted).toContain(external.id);
    expect(byId(external.id)?.health.message).not.toBe("forged");
    // The other namespace was not rebuilt: the forged SealedSecret is still there, untouched.
    expect(upserted).not.toContain(sealed.id);
    expect(byId(sealed.id)).toBe(forgedSealed);
    // The next full sweep puts it right.
    await inventory.sweep({ full: true });
    expect(byId(sealed.id)?.health.message).toBe(sealed.health.message);
  });

  it("sweeps a cluster whole when what its records are built from besides its objects changed", async () => {
    await inventory.sweep({ full: true });
    expect((await inventory.sweep()).fullClusters).toBe(0);
    const cluster = inventory.cluster("sandbox")!;
    const seen = cluster.seenPublicKeys;
    // A sealing key seen for the first time changes how every SealedSecret of the cluster is read.
    cluster.seenPublicKeys = [...seen, "0".repeat(64)];
    try {
      const summary = await inventory.sweep();
      expect(summary.fullClusters).toBe(1);
      expect(summary.namespaces).toBeGreaterThan(1);
      expect((await inventory.sweep()).fullClusters).toBe(0);
    } finally {
      cluster.seenPublicKeys = seen;
      await inventory.sweep({ full: true });
    }
  });

  it("streams a kubectl change as a server-sent event, newer than the list it follows", async () => {
    const abort = new AbortController();
    const stream = streamInventoryEvents(inventory, {
      visible: () => true,
      cluster: (status) => status,
      signal: abort.signal,
    });
    const reader = stream.getReader();
    const listRevision = inventory.revision;
    let text = "";
    const pump = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += decoder.decode(value);
      }
    })();
    await kubectlOk(sandbox.kubeconfigPath, [
      "annotate",
      "externalsecret",
      "stripe-credentials",
      "-n",
      "production",
      `force-sync=${Date.now()}`,
      "--overwrite",
    ]);
    const frame = await eventually(
      () =>
        text
          .split("\n\n")
          .find(
            (f) =>
              f.includes("event: upsert") &&
              f.includes('"id":"sandbox/production/ExternalSecret/stripe-credentials"'),
          ),
      400,
    );
    const data = JSON.parse(
      frame
        .split("\n")
        .find((line) => line.startsWith("data: "))!
        .slice(6),
    ) as { type: string; resourceVersion: number; record: SecretRecord };
    expect(data.type).toBe("upsert");
    expect(data.resourceVersion).toBeGreaterThan(listRevision);
    expect(frame).toContain(`id: ${data.resourceVersion}`);
    abort.abort();
    await pump;
  });

  it("relists after the API server expires its watches (410)", async () => {
    sandbox.clusters[0]!.expireWatches();
    await kubectlOk(sandbox.kubeconfigPath, [
      "annotate",
      "externalsecret",
      "feature-flags",
      "-n",
      "development",
      "sealdeck.io/probe=after-410",
    ]);
    await eventually(
      () =>
        find("development", "ExternalSecret", "feature-flags")?.resourceVersion &&
        inventory.clusterStatuses()[0]?.state === "synced"
          ? true
          : undefined,
      400,
    );
    await eventually(async () => {
      const out = await kubectlOk(sandbox.kubeconfigPath, [
        "get",
        "externalsecret",
        "feature-flags",
        "-n",
        "development",
        "-o",
        "jsonpath={.metadata.resourceVersion}",
      ]);
      return find("development", "ExternalSecret", "feature-flags")?.resourceVersion === out
        ? true
        : undefined;
    }, 400);
  });
});
