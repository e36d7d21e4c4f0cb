import { afterEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import type { Inventory, InventoryEvent } from "@/lib/kube/inventory";
import { session } from "@/lib/testing/fake-session";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { ClusterStatus, ClusterWarning } from "@/lib/validations/cluster-status";
import type { SecretListResponse } from "@/lib/validations/secret-list-query";

// Issue #13 item 9c on the two routes that send cluster statuses to the browser: the list's `clusters`
// and `warnings`, and the change stream's `cluster` events. A developer granted a namespace on
// `prod-eu` sees its details; of `prod-us` only the name and state.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const status = (name: string): ClusterStatus => ({
  name,
  server: `https://${name}.internal.example:6443`,
  sandbox: false,
  state: "synced",
  since: null,
  message: null,
  externalSecretsVersion: "v1",
  controller: {
    namespace: "kube-system",
    service: "sealed-secrets-controller",
    port: "http",
    url: null,
    certificate: null,
    error: null,
    keys: [{ name: `sealed-secrets-key-${name}`, createdAt: null, active: true }],
  },
});
const warning = (cluster: string): ClusterWarning => ({
  cluster,
  code: "new-key",
  message: `New sealing key sealed-secrets-key-${cluster}.`,
});

const listeners: ((event: InventoryEvent) => void)[] = [];
// Only what the two routes read; the inventory itself is tested in lib/kube.
const inventory = {
  revision: 7,
  ready: async () => undefined,
  list: () => [],
  clusterStatuses: () => [status("prod-eu"), status("prod-us")],
  warnings: () => [warning("prod-eu"), warning("prod-us")],
  cluster: () => undefined,
  subscribe(listener: (event: InventoryEvent) => void) {
    listeners.push(listener);
    return () => listeners.splice(listeners.indexOf(listener), 1);
  },
} as unknown as Inventory;
(globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory = inventory;
afterEach(() => {
  session.principal = null;
});

const developer: Principal = testPrincipal({
  userId: "00000000-0000-4000-8000-000000000001",
  username: "dana",
  displayName: "Dana",
  role: "developer",
  grants: [{ cluster: "prod-eu", namespace: "payments" }],
});

describe("cluster details by grant", () => {
  it("GET /api/secrets sends a cluster's details only to those with a grant on it", async () => {
    session.principal = developer;
    const { GET } = await import("./route");
    const response = await GET(new Request("http://sealdeck.test/api/secrets"));
    expect(response.status).toBe(200);
    const text = await response.text();
    const body = JSON.parse(text) as SecretListResponse;
    expect(body.clusters.map((c) => [c.name, c.state, c.server])).toEqual([
      ["prod-eu", "synced", "https://prod-eu.internal.example:6443"],
      ["prod-us", "synced", null],
    ]);
    expect(body.clusters[1]).toMatchObject({ controller: null, detailsHidden: true });
    expect(body.warnings).toEqual([warning("prod-eu")]);
    expect(text).not.toContain("prod-us.internal.example");
    expect(text).not.toContain("sealed-secrets-key-prod-us");

    session.principal = { ...developer, role: "auditor", grants: [] };
    const all = (await (
      await GET(new Request("http://sealdeck.test/api/secrets"))
    ).json()) as SecretListResponse;
    expect(all.clusters).toEqual([status("prod-eu"), status("prod-us")]);
    expect(all.warnings).toHaveLength(2);
  });

  it("GET /api/secrets/events strips the details from a cluster event the viewer holds no grant on", async () => {
    session.principal = developer;
    const { GET } = await import("./events/route");
    const abort = new AbortController();
    const response = await GET(
      new Request("http://sealdeck.test/api/secrets/events", { signal: abort.signal }),
    );
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    };
    await readUntil("event: ready");
    for (const listener of listeners) {
      listener({ type: "cluster", revision: 8, cluster: status("prod-us") });
      listener({ type: "cluster", revision: 9, cluster: status("prod-eu") });
    }
    await readUntil("id: 9");
    abort.abort();
    const events = text
      .split("\n\n")
      .filter((block) => block.includes("event: cluster"))
      .map((block) => JSON.parse(block.split("data: ")[1]!) as { cluster: ClusterStatus });
    expect(
      events.map((e) => [e.cluster.name, e.cluster.server, e.cluster.controller?.keys.length ?? null]),
    ).toEqual([
      ["prod-us", null, null],
      ["prod-eu", "https://prod-eu.internal.example:6443", 1],
    ]);
    expect(text).not.toContain("prod-us.internal.example");
  });
});
