import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { secretListQuerySchema } from "@/lib/validations/secret-list-query";
import { Inventory } from "./inventory";
import { loadClusterRegistry } from "./load-cluster-registry";
import { querySecretRecords } from "./query-secret-records";

// What GET /api/secrets serves for the demo estate, fixed in a snapshot taken before the caches pooled
// their strings and built records per namespace: the memory work must not change a byte of the API.
let sandbox: Sandbox;
let inventory: Inventory;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
  await sandbox.clusters[0]!.settle();
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
  inventory.start();
  await inventory.ready(60_000);
});

afterAll(async () => {
  inventory?.stop();
  await sandbox?.stop();
});

// Values that differ between two starts of the sandbox (random uids and keys, clock times).
const volatileKeys = new Set(["uid", "resourceVersion", "createdAt", "lastTransitionTime", "refreshTime"]);
function stable(value: unknown): string {
  return JSON.stringify(
    value,
    (key, v: unknown) => {
      if (volatileKeys.has(key) && v !== null) return "<volatile>";
      if (typeof v === "string")
        return v
          .replace(/[0-9a-f]{64}/g, "<sha256>")
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
          .replace(/\d+ (min|h|days) ago/g, "<age> ago");
      return v;
    },
    1,
  );
}

describe("GET /api/secrets output from the inventory", () => {
  it("is the same as before the caches were slimmed (demo estate, every record, sorted by name)", async () => {
    const page = querySecretRecords(
      inventory.list(),
      secretListQuerySchema.parse({ sort: "name", limit: "500" }),
    );
    expect(page.total).toBeGreaterThan(10);
    await expect(stable(page)).toMatchFileSnapshot("__snapshots__/inventory-output.json");
  });
});
