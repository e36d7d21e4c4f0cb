import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type * as InventoryModule from "@/lib/kube/inventory";
import type { Inventory } from "@/lib/kube/inventory";
import { loadClusterRegistry } from "@/lib/kube/load-cluster-registry";
import { getRotationSchedule } from "@/lib/rotation/get-rotation-schedule";
import { queryRotationSchedule } from "@/lib/rotation/query-rotation-schedule";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { rotationQuerySchema, rotationStatuses } from "@/lib/validations/rotation";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { buildMetricsRegistry } from "./build-metrics-registry";
import { readMetricsSnapshot } from "./read-metrics-snapshot";

// The scrape as the running app reads it: the sandbox's estate through the inventory, the same cached
// rotation schedule GET /api/rotations serves, and the audit chain's head in Postgres.

const current = vi.hoisted(() => ({ inventory: null as Inventory | null }));
vi.mock("@/lib/kube/inventory", async (importOriginal) => ({
  ...(await importOriginal<typeof InventoryModule>()),
  getInventory: () => current.inventory,
}));

const { pool, query } = setupMigratedDatabase({ appClient: true });
let sandbox: Sandbox;
let inventory: Inventory;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, clusters: 1 });
  await sandbox.clusters[0]!.settle();
  const { Inventory } = await import("@/lib/kube/inventory");
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
  current.inventory = inventory;
  inventory.start();
  await inventory.ready(60_000);
}, 120_000);
afterAll(async () => {
  inventory?.stop();
  await sandbox?.stop();
});

describe("readMetricsSnapshot", () => {
  it("reports the sandbox estate with the Rotations page's counts and the audit chain's head", async () => {
    await appendAuditEvent(pool, { action: "settings.changed", outcome: "success" });
    const snapshot = await readMetricsSnapshot();
    expect(snapshot.errors).toEqual([]);
    const families = parsePrometheusTextFormat(await buildMetricsRegistry(snapshot).metrics());
    const samples = (name: string) => families.find((f) => f.name === name)?.metrics ?? [];

    const schedule = await getRotationSchedule();
    expect(schedule.entries.length).toBeGreaterThan(0);
    const places = new Set(schedule.entries.map((e) => JSON.stringify([e.row.cluster, e.row.namespace])));
    for (const place of places) {
      const [cluster, namespace] = JSON.parse(place) as [string, string | null];
      // What GET /api/rotations answers the page with: by namespace, or the cluster's cluster-scoped kind.
      const filter = namespace === null ? { cluster, kind: "ClusterExternalSecret" } : { cluster, namespace };
      const { counts } = queryRotationSchedule(schedule, rotationQuerySchema.parse(filter), null);
      for (const status of rotationStatuses) {
        const sample = samples("sealdeck_rotation_keys").find(
          (m) =>
            m.labels?.cluster === cluster &&
            m.labels.namespace === (namespace ?? "-") &&
            m.labels.status === status,
        );
        expect(Number(sample?.value), `${place} ${status}`).toBe(counts[status]);
      }
    }
    expect(places.has(JSON.stringify(["sandbox", null]))).toBe(true);

    const secrets = samples("sealdeck_secrets").reduce((sum, m) => sum + Number(m.value), 0);
    expect(secrets).toBe(inventory.list().length);
    const keys = inventory.clusterStatuses()[0]?.controller?.keys.length;
    expect(Number(samples("sealdeck_sealing_keys")[0]?.value)).toBe(keys);
    const [head] = await query<{ seq: string }>("SELECT max(seq)::text AS seq FROM audit_events");
    expect(samples("sealdeck_audit_chain_head_seq")[0]?.value).toBe(head?.seq);
    expect(samples("sealdeck_inventory_stale")).toEqual([{ labels: { cluster: "sandbox" }, value: "0" }]);
  }, 120_000);
});
