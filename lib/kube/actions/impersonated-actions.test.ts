import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { SandboxRequestRecord } from "@/sandbox/server/request-log";
import { startSandbox, type Sandbox } from "@/sandbox/start-sandbox";
import { kubeClient } from "@/sandbox/testing/kube-request";
import { ClusterCache } from "../cluster-cache";
import { Inventory } from "../inventory";
import { loadClusterRegistry } from "../load-cluster-registry";
import { forceSyncSecret } from "./force-sync-secret";
import { restartSecretConsumers } from "./restart-secret-consumers";
import { validateSealedSecret } from "./validate-sealed-secret";

// Issue #13 item 0: under SEALDECK_KUBE_ACCESS=impersonate, every request an action sends for a user
// carries that user's identity, and the cluster's RBAC (not Sealdeck's credentials) decides. The
// sandbox records who sent each request, whom it impersonated and what it decided; the policy lets
// the security lead patch only in `development`.

vi.hoisted(() => {
  process.env.SEALDECK_KUBE_ACCESS = "impersonate";
});
vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const policyFile = fileURLToPath(
  new URL("../../../sandbox/testing/impersonation-policy.yaml", import.meta.url),
);

setupMigratedDatabase({ appClient: true });
let sandbox: Sandbox;
let inventory: Inventory;

const lead: Principal = testPrincipal({
  userId: "00000000-0000-4000-8000-000000000011",
  username: "sam",
  displayName: "Sam",
  role: "security-lead",
});
const developer: Principal = testPrincipal({
  userId: "00000000-0000-4000-8000-000000000012",
  username: "dana",
  displayName: "Dana",
  role: "developer",
  grants: [{ cluster: "sandbox", namespace: "staging" }],
});

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true, policyFile });
  await sandbox.clusters[0]!.settle();
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
  (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory = inventory;
  inventory.start();
  await inventory.ready(60_000);
}, 120_000);
afterAll(async () => {
  inventory?.stop();
  delete (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory;
  await sandbox?.stop();
});

/** The requests the sandbox saw from now on, as `act` runs. */
async function recorded(act: () => Promise<unknown>): Promise<SandboxRequestRecord[]> {
  const cluster = sandbox.clusters[0]!;
  const since = cluster.requests().at(-1)?.seq ?? 0;
  await act();
  return cluster.requests(since);
}

const address = (namespace: string, kind: "ExternalSecret" | "SealedSecret", name: string) => ({
  cluster: "sandbox",
  namespace,
  kind,
  name,
});

describe("actions under impersonation", () => {
  it("force-syncs as the user: the PATCH carries Impersonate-User and the cluster refuses it outside their RBAC", async () => {
    session.principal = lead;
    let refused: Awaited<ReturnType<typeof forceSyncSecret>> | undefined;
    const seen = await recorded(async () => {
      refused = await forceSyncSecret(address("production", "ExternalSecret", "stripe-credentials"));
    });
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining("forbidden") as unknown });
    const patch = seen.filter((r) => r.method === "PATCH");
    expect(patch).toEqual([
      expect.objectContaining({
        path: "/apis/external-secrets.io/v1/namespaces/production/externalsecrets/stripe-credentials",
        user: "sandbox-admin",
        impersonatedUser: "sam",
        impersonatedGroups: ["sealdeck:security-lead"],
        decision: "deny",
        status: 403,
      }),
    ]);

    const allowed = await recorded(async () => {
      expect(
        await forceSyncSecret(address("development", "ExternalSecret", "stripe-credentials")),
      ).toMatchObject({ ok: true });
    });
    expect(allowed.filter((r) => r.method === "PATCH")).toEqual([
      expect.objectContaining({ impersonatedUser: "sam", decision: "allow", status: 200 }),
    ]);
  });

  it("restarts consumers as the user: refused by the cluster's answer, allowed where RBAC permits", async () => {
    session.principal = lead;
    let refused: Awaited<ReturnType<typeof restartSecretConsumers>> | undefined;
    const seen = await recorded(async () => {
      refused = await restartSecretConsumers(address("production", "ExternalSecret", "stripe-credentials"));
    });
    expect(refused).toMatchObject({
      ok: false,
      error: expect.stringContaining("does not allow sam") as unknown,
    });
    // The question was asked as the user, and nothing was patched.
    expect(seen).toContainEqual(
      expect.objectContaining({
        method: "POST",
        path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        impersonatedUser: "sam",
        review: { verb: "patch", resource: "deployments", namespace: "production", allowed: false },
      }),
    );
    expect(seen.filter((r) => r.method === "PATCH")).toEqual([]);

    const allowed = await recorded(async () => {
      expect(
        await restartSecretConsumers(address("development", "ExternalSecret", "stripe-credentials")),
      ).toMatchObject({ ok: true });
    });
    const patches = allowed.filter((r) => r.method === "PATCH");
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches)
      expect(patch).toMatchObject({
        path: expect.stringMatching(/^\/apis\/apps\/v1\/namespaces\/development\//) as unknown,
        impersonatedUser: "sam",
        impersonatedGroups: ["sealdeck:security-lead"],
        decision: "allow",
      });
  });

  it("validates and reads the sealing certificate as the user (the controller proxy sees the impersonation)", async () => {
    session.principal = developer;
    const verify = await recorded(async () => {
      expect(await validateSealedSecret(address("staging", "SealedSecret", "agent-secrets"))).toMatchObject({
        ok: true,
        data: { valid: true },
      });
    });
    expect(verify).toContainEqual(
      expect.objectContaining({
        method: "POST",
        path: "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/verify",
        impersonatedUser: "dana",
        impersonatedGroups: ["sealdeck:developer"],
        decision: "allow",
      }),
    );
    expect(verify.filter((r) => r.impersonatedUser === null && r.method !== "GET")).toEqual([]);

    const { GET } = await import("@/app/api/clusters/[cluster]/certificate/route");
    const certificate = await recorded(async () => {
      const response = await GET(new Request("http://sealdeck.test/api/clusters/sandbox/certificate"), {
        params: Promise.resolve({ cluster: "sandbox" }),
      });
      expect(response.status).toBe(200);
    });
    expect(certificate).toContainEqual(
      expect.objectContaining({
        method: "GET",
        path: "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem",
        impersonatedUser: "dana",
        decision: "allow",
      }),
    );
  });

  it("keeps the identity when the credentials and the request come from different module instances", async () => {
    // What Next's production build does: the inventory's ClusterCache (instrumentation) and the action's
    // request helpers are separate copies of the same modules. Here: a second module graph.
    const entry = loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath })[0]!;
    const access = new ClusterCache(entry, () => undefined).accessFor(lead);
    vi.resetModules();
    const other = await import("../force-sync-external-secret");
    const seen = await recorded(() =>
      other
        .forceSyncExternalSecret(access, {
          cluster: "sandbox",
          kind: "ExternalSecret",
          namespace: "production",
          name: "stripe-credentials",
          version: "v1",
        })
        .catch(() => undefined),
    );
    expect(seen.filter((r) => r.method === "PATCH")).toEqual([
      expect.objectContaining({ impersonatedUser: "sam", decision: "deny" }),
    ]);
  });

  it("serves the request log only to a caller allowed to read it, and never a token or body", async () => {
    const client = kubeClient(sandbox.kubeconfig, { user: "sandbox-admin" });
    const log = await client.send("GET", "/sandbox/requests?since=0");
    expect(log.status).toBe(200);
    const { items } = log.json<{ items: SandboxRequestRecord[] }>();
    expect(items.some((r) => r.impersonatedUser === "sam")).toBe(true);
    for (const token of Object.values(client.tokens)) expect(log.body).not.toContain(token);
    const auditor = await client.send("GET", "/sandbox/requests", { token: client.tokens.auditor });
    expect(auditor.status).toBe(403);
  });
});
