import { describe, expect, it, vi } from "vitest";
import type { SecretRecord } from "@/lib/validations/secret-record";

// A stand-in inventory of two clusters: "east" has listed, "west" never finishes its first list.
const fake = vi.hoisted(() => {
  const record = { id: "east/payments/SealedSecret/db", cluster: "east", name: "db" };
  const cluster = (name: string, settled: boolean, loadConfig: () => unknown) => ({
    entry: { name },
    settled: () => settled,
    status: () => ({ name, state: settled ? "synced" : "connecting" }),
    loadConfig,
  });
  const calls: string[] = [];
  const clusters = [
    cluster("east", true, () => {
      calls.push("east");
      throw new Error("connect ECONNREFUSED 10.0.0.1:6443");
    }),
    cluster("west", false, () => {
      calls.push("west");
      throw new Error("unexpected");
    }),
  ];
  return {
    calls,
    record,
    inventory: {
      revision: 42,
      flushed: 0,
      // The whole inventory is never ready: "west" hangs. A secret of "east" must not wait for it.
      ready: () => new Promise<void>(() => undefined),
      flush() {
        this.flushed += 1;
      },
      cluster: (name: string) => clusters.find((c) => c.entry.name === name),
      get: (id: string) => (id === record.id ? record : undefined),
    },
  };
});
vi.mock("./inventory", () => ({ getInventory: () => fake.inventory }));

const { getSecretDetail } = await import("./get-secret-detail");
const { getSecretEvents } = await import("./get-secret-events");

const address = { cluster: "east", namespace: "payments", kind: "SealedSecret" as const, name: "db" };

describe("getSecretDetail", () => {
  it("answers from the inventory once the secret's own cluster has listed, with no cluster call", async () => {
    const detail = await getSecretDetail(address);
    expect(detail.record).toBe(fake.record as unknown as SecretRecord);
    expect(detail.resourceVersion).toBe(42);
    expect(detail.cluster?.name).toBe("east");
    // Pending changes were applied first; no request went to any cluster (events are read apart).
    expect(fake.inventory.flushed).toBeGreaterThan(0);
    expect(fake.calls).toEqual([]);
  });

  it("says not found for a secret the inventory does not hold", async () => {
    await expect(getSecretDetail({ ...address, name: "gone" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("getSecretEvents", () => {
  it("reads the cluster apart, and turns its failure into a message beside the record", async () => {
    expect(await getSecretEvents(address)).toEqual({
      events: [],
      eventsError: "connect ECONNREFUSED 10.0.0.1:6443",
    });
    expect(fake.calls).toEqual(["east"]);
  });
});
