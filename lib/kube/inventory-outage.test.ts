import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually } from "@/sandbox/testing/kube-request";
import { Inventory } from "./inventory";
import { loadClusterRegistry } from "./load-cluster-registry";

// A cluster that goes away keeps its last state, marked stale since when it went; when it comes back
// on the same address the inventory recovers by itself (new CA and tokens are re-read from the file).
let dir: string;
let sandbox: Sandbox | undefined;
let inventory: Inventory;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sealdeck-outage-"));
  sandbox = await startSandbox({ port: 0, quiet: true, kubeconfigPath: join(dir, "kubeconfig") });
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: join(dir, "kubeconfig") }));
  inventory.start();
  await inventory.ready(60_000);
});

afterAll(async () => {
  inventory?.stop();
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

it("marks data stale while the cluster is down and recovers when it is back", async () => {
  const id = "sandbox/production/SealedSecret/checkout-secrets";
  expect(inventory.get(id)?.staleSince).toBeNull();
  const port = Number(new URL(sandbox!.url).port);
  const stoppedAt = Date.now();
  await sandbox!.stop();
  sandbox = undefined;

  const stale = await eventually(() => {
    const status = inventory.clusterStatuses()[0];
    return status?.state === "stale" ? status : undefined;
  }, 600);
  expect(Date.parse(stale.since!)).toBeGreaterThanOrEqual(stoppedAt - 1000);
  // The last state stays, every record marked with the same since-when.
  await eventually(() => (inventory.get(id)?.staleSince === stale.since ? true : undefined), 400);
  expect(inventory.list().length).toBeGreaterThanOrEqual(19);

  sandbox = await startSandbox({ port, quiet: true, kubeconfigPath: join(dir, "kubeconfig") });
  await eventually(() => (inventory.clusterStatuses()[0]?.state === "synced" ? true : undefined), 1200);
  await eventually(() => (inventory.get(id)?.staleSince === null ? true : undefined), 400);
  expect(inventory.get(id)?.health.status).toBe("Healthy");
});
