import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inventory } from "@/lib/kube/inventory";
import { loadClusterRegistry } from "@/lib/kube/load-cluster-registry";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { StoreIncident } from "@/lib/validations/store-incidents";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually, kubeClient } from "@/sandbox/testing/kube-request";
import { type ListStoreIncidentsInput, listStoreIncidents } from "./list-store-incidents";

// Issue #21 item 2 against the sandbox: a store made unreachable lists the ExternalSecrets that read
// from it, in deadline order, to whoever may see them; fixed, the incident is gone.

let sandbox: Sandbox;
let inventory: Inventory;
let api: ReturnType<typeof kubeClient>;
const eso = "/apis/external-secrets.io/v1";
const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
const fake = { fake: { data: [{ key: "/k", value: "v" }] } };

const externalSecret = (
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  annotations: Record<string, string> = {},
) =>
  api.send("POST", `${eso}/namespaces/${namespace}/externalsecrets`, {
    body: {
      metadata: { name, annotations },
      spec: { refreshInterval: "1h", data: [{ secretKey: "k", remoteRef: { key: "/k" } }], ...spec },
    },
  });

beforeAll(async () => {
  sandbox = await startSandbox({ noDemo: true, quiet: true });
  api = kubeClient(sandbox.kubeconfig);
  for (const namespace of ["payments", "shop"]) {
    await api.send("POST", "/api/v1/namespaces", { body: { metadata: { name: namespace } } });
    await api.send("POST", `${eso}/namespaces/${namespace}/secretstores`, {
      body: { metadata: { name: "vault" }, spec: { provider: fake } },
    });
  }
  await api.send("POST", `${eso}/clustersecretstores`, {
    body: { metadata: { name: "shared" }, spec: { provider: fake } },
  });
  const vault = { secretStoreRef: { name: "vault", kind: "SecretStore" } };
  await externalSecret("payments", "api-token", vault, {
    "sealdeck.io/credential-expires-at": inTwoDays,
  });
  await externalSecret(
    "payments",
    "db-lease",
    { secretStoreRef: { name: "vault" } },
    {
      "sealdeck.io/credential-lease": "1h",
    },
  );
  await externalSecret("payments", "no-expiry", vault);
  await externalSecret("payments", "registry", {
    secretStoreRef: { name: "shared", kind: "ClusterSecretStore" },
  });
  // shop's own "vault" is another store: a SecretStore ref resolves in the ExternalSecret's namespace.
  await externalSecret("shop", "cart", vault);
  await externalSecret("shop", "cdn", {
    secretStoreRef: { name: "vault" },
    data: [
      {
        secretKey: "k",
        remoteRef: { key: "/k" },
        sourceRef: { storeRef: { name: "shared", kind: "ClusterSecretStore" } },
      },
    ],
  });
  await sandbox.clusters[0]!.settle();
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
  inventory.start();
  await inventory.ready(60_000);
});

afterAll(async () => {
  inventory?.stop();
  await sandbox?.stop();
});

const list = (principal: ListStoreIncidentsInput["principal"] = null) =>
  listStoreIncidents({ principal, clusters: inventory.clusters });
const names = (incident: StoreIncident | undefined) =>
  incident?.dependants.map((d) => `${d.namespace}/${d.name}`);
const developer = (namespace: string) =>
  testPrincipal({
    userId: "00000000-0000-4000-8000-000000000001",
    username: `dev-${namespace}`,
    displayName: "Dev",
    role: "developer",
    grants: [{ cluster: "sandbox", namespace }],
  });

describe("an unreachable secret store", () => {
  it("is no incident while every store is Ready", async () => {
    expect(await list()).toEqual([]);
  });

  it("lists every dependant, known deadlines first and soonest first, once the store is not Ready", async () => {
    const cluster = sandbox.clusters[0]!;
    cluster.externalSecrets.setStoreReachable(
      { kind: "SecretStore", namespace: "payments", name: "vault" },
      false,
    );
    cluster.externalSecrets.setStoreReachable({ kind: "ClusterSecretStore", name: "shared" }, false);
    const incidents = await eventually(async () => {
      const found = await list();
      return found.length === 2 ? found : undefined;
    }, 600);
    const vault = incidents.find((i) => i.store.kind === "SecretStore")!;
    expect(vault).toMatchObject({
      kind: "store-unreachable",
      cluster: "sandbox",
      store: { kind: "SecretStore", namespace: "payments", name: "vault" },
      provider: "fake",
      reason: "InvalidProviderConfig",
      message: "unable to validate store",
      since: expect.any(String),
    });
    expect(names(vault)).toEqual(["payments/db-lease", "payments/api-token", "payments/no-expiry"]);
    const [lease, expiresAt, unknown] = vault.dependants;
    expect(lease).toMatchObject({ deadlineSource: "lease", lastSyncedAt: expect.any(String) });
    expect(Date.parse(lease!.deadline!) - Date.parse(lease!.lastSyncedAt!)).toBe(3_600_000);
    expect(expiresAt).toMatchObject({
      deadlineSource: "expires-at",
      deadline: new Date(inTwoDays).toISOString(),
    });
    expect(unknown).toMatchObject({ deadline: null, deadlineSource: null, refreshInterval: "1h" });

    const shared = incidents.find((i) => i.store.kind === "ClusterSecretStore")!;
    expect(shared.store).toEqual({ kind: "ClusterSecretStore", name: "shared" });
    expect(names(shared)).toEqual(["payments/registry", "shop/cdn"]);
    // The incident whose first deadline is known comes first.
    expect(incidents[0]).toBe(vault);
  });

  it("shows a developer only the dependants in their namespaces", async () => {
    const payments = await list(developer("payments"));
    expect(payments.map((i) => [i.store.name, names(i)])).toEqual([
      ["vault", ["payments/db-lease", "payments/api-token", "payments/no-expiry"]],
      ["shared", ["payments/registry"]],
    ]);
    const shop = await list(developer("shop"));
    expect(shop.map((i) => [i.store.name, names(i)])).toEqual([["shared", ["shop/cdn"]]]);
    const elsewhere = await list(developer("billing"));
    expect(elsewhere).toEqual([]);
  });

  it("is gone once the store is reachable again", async () => {
    const cluster = sandbox.clusters[0]!;
    cluster.externalSecrets.setStoreReachable(
      { kind: "SecretStore", namespace: "payments", name: "vault" },
      true,
    );
    cluster.externalSecrets.setStoreReachable({ kind: "ClusterSecretStore", name: "shared" }, true);
    await eventually(async () => ((await list()).length === 0 ? true : undefined), 600);
  });
});
