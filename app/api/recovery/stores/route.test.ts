import { afterEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import type { Inventory } from "@/lib/kube/inventory";
import { session } from "@/lib/testing/fake-session";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { StoreIncidentsResponse } from "@/lib/validations/store-incidents";

// GET /api/recovery/stores: who may read it, and that each user gets only the dependants (and stores)
// of namespaces they may see. The listing itself is tested against the sandbox in lib/recovery.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const notReady = {
  conditions: [
    {
      type: "Ready",
      status: "False",
      reason: "InvalidProviderConfig",
      message: "unable to validate store",
      lastTransitionTime: "2026-12-05T09:30:00Z",
    },
  ],
};
const store = (namespace: string) => ({
  kind: "SecretStore",
  metadata: { name: "vault", namespace },
  spec: { provider: { vault: {} } },
  status: notReady,
});
const externalSecret = (namespace: string, name: string, storeRef: Record<string, string>) => ({
  kind: "ExternalSecret",
  metadata: { name, namespace },
  spec: { secretStoreRef: storeRef },
  status: { refreshTime: "2026-12-05T09:00:00Z" },
});
const snapshots: Record<string, object> = {
  "prod-eu": {
    secretStores: [store("payments"), store("billing")],
    clusterSecretStores: [{ kind: "ClusterSecretStore", metadata: { name: "shared" }, status: notReady }],
    externalSecrets: [
      externalSecret("payments", "stripe", { name: "vault" }),
      externalSecret("billing", "invoices", { name: "vault" }),
      externalSecret("billing", "registry", { name: "shared", kind: "ClusterSecretStore" }),
      externalSecret("payments", "registry", { name: "shared", kind: "ClusterSecretStore" }),
    ],
  },
  "prod-us": { secretStores: [store("payments")], externalSecrets: [] },
};
const inventory = {
  ready: async () => undefined,
  clusters: Object.entries(snapshots).map(([name, snapshot]) => ({
    entry: { name },
    snapshot: () => snapshot,
  })),
} as unknown as Inventory;
(globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory = inventory;
afterEach(() => {
  session.principal = null;
});

const user = (role: Principal["role"], grants: Principal["grants"] = []) =>
  testPrincipal({
    userId: "00000000-0000-4000-8000-000000000001",
    username: role,
    displayName: role,
    role,
    grants,
  });

async function get(query = "") {
  const { GET } = await import("./route");
  const response = await GET(new Request(`http://sealdeck.test/api/recovery/stores${query}`));
  return { status: response.status, body: (await response.json()) as StoreIncidentsResponse };
}
const summary = (body: StoreIncidentsResponse) =>
  body.incidents.map((i) => [i.id, i.dependants.map((d) => `${d.namespace}/${d.name}`)]);

describe("GET /api/recovery/stores", () => {
  it("refuses the signed-out (401) and roles that may not read the inventory (403)", async () => {
    expect((await get()).status).toBe(401);
    session.principal = user("admin");
    expect((await get()).status).toBe(403);
  });

  it("gives a security lead every store that is not Ready, with every dependant", async () => {
    session.principal = user("security-lead");
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(summary(body)).toEqual([
      ["prod-eu/-/ClusterSecretStore/shared", ["billing/registry", "payments/registry"]],
      ["prod-eu/billing/SecretStore/vault", ["billing/invoices"]],
      ["prod-eu/payments/SecretStore/vault", ["payments/stripe"]],
      ["prod-us/payments/SecretStore/vault", []],
    ]);
    expect(summary((await get("?cluster=prod-us")).body)).toEqual([
      ["prod-us/payments/SecretStore/vault", []],
    ]);
  });

  it("gives a developer only their namespaces' dependants, and no store they cannot see", async () => {
    session.principal = user("developer", [{ cluster: "prod-eu", namespace: "payments" }]);
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(summary(body)).toEqual([
      ["prod-eu/-/ClusterSecretStore/shared", ["payments/registry"]],
      ["prod-eu/payments/SecretStore/vault", ["payments/stripe"]],
    ]);
    expect(JSON.stringify(body)).not.toContain("billing");
  });

  it("answers 422 to an invalid query", async () => {
    session.principal = user("auditor");
    expect((await get("?cluster=")).status).toBe(422);
  });
});
