import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually } from "@/sandbox/testing/kube-request";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import type * as InventoryModule from "./inventory";
import type { Inventory } from "./inventory";
import { loadClusterRegistry } from "./load-cluster-registry";

// The sealed-secrets controller renews its key: Sealdeck, watching the sandbox's keys by metadata,
// warns with the exact backup command until a security lead acknowledges the backup, which is audited
// and outlives the next controller refresh.

vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));
const current = vi.hoisted(() => ({ inventory: null as Inventory | null }));
vi.mock("@/lib/kube/inventory", async (importOriginal) => ({
  ...(await importOriginal<typeof InventoryModule>()),
  getInventory: () => current.inventory,
}));

const { query } = setupMigratedDatabase({ appClient: true });
let sandbox: Sandbox;
let inventory: Inventory;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, clusters: 1, noDemo: true });
  await sandbox.clusters[0]!.settle();
  const { Inventory } = await import("./inventory");
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
  current.inventory = inventory;
  inventory.start();
  await inventory.ready(60_000);
}, 120_000);
afterAll(async () => {
  inventory?.stop();
  await sandbox?.stop();
});

const newKeyWarnings = () =>
  inventory.warnings().filter((w) => w.cluster === "sandbox" && w.code === "new-key");

describe("a renewed sealing key", () => {
  it("warns with the backup command until the backup is acknowledged, and the acknowledgement is audited", async () => {
    const cache = inventory.cluster("sandbox")!;
    // The first look at the controller is the baseline: the keys it already has raise no warning.
    const first = await eventually(() => cache.controller ?? undefined, 200);
    const before = first.keys.map((k) => k.name);
    expect(before.length).toBeGreaterThan(0);
    expect(newKeyWarnings()).toEqual([]);

    await sandbox.clusters[0]!.sealedSecrets.renewKey();
    const [warning] = await eventually(async () => {
      await cache.refreshController();
      const found = newKeyWarnings();
      return found.length > 0 ? found : undefined;
    }, 200);
    const renewed = cache.controller!.keys.map((k) => k.name).filter((name) => !before.includes(name));
    expect(renewed).toHaveLength(1);
    expect(warning?.message).toContain(renewed[0]);
    expect(warning?.command).toBe(
      "kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml >main.key",
    );
    // A fresh key is on time: no renewal or pile-up warning beside it.
    expect(inventory.warnings().map((w) => w.code)).not.toContain("key-renewal-overdue");
    expect(cache.keyPolicy).toEqual({ namespace: "kube-system", renewalDays: 30 });

    session.principal = testPrincipal({
      userId: "u-lead",
      username: "lead",
      displayName: "Lead",
      role: "security-lead",
    });
    const { acknowledgeKeyBackup } = await import("@/lib/settings/actions/acknowledge-key-backup");
    expect(await acknowledgeKeyBackup({ cluster: "sandbox" })).toMatchObject({ ok: true });
    expect(newKeyWarnings()).toEqual([]);
    const [event] = await query<{
      action: string;
      actor_name: string;
      target_cluster: string;
      details: unknown;
    }>("SELECT action, actor_name, target_cluster, details FROM audit_events ORDER BY seq DESC LIMIT 1");
    expect(event).toMatchObject({
      action: "sealing_key.backup_acknowledged",
      actor_name: "lead",
      target_cluster: "sandbox",
      details: { newlyAcknowledgedKeys: renewed },
    });

    // Remembered in the database: the next refresh does not bring the warning back.
    await cache.refreshController();
    expect(newKeyWarnings()).toEqual([]);
  }, 120_000);
});
