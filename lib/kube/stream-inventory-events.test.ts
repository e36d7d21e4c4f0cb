import { describe, expect, it } from "vitest";
import type { Inventory, InventoryEvent } from "./inventory";
import { streamInventoryEvents, type StreamFilter } from "./stream-inventory-events";

// A stand-in inventory: the stream only reads `revision` and subscribes.
function fakeInventory() {
  const listeners = new Set<(event: InventoryEvent) => void>();
  let revision = 0;
  return {
    inventory: {
      get revision() {
        return revision;
      },
      subscribe(listener: (event: InventoryEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    } as unknown as Inventory,
    deleted(id: string) {
      revision += 1;
      for (const listener of listeners) listener({ type: "delete", revision, id, previous: null });
    },
    listeners,
  };
}

function manualWake() {
  let wake = () => {};
  return {
    wake: (listener: () => void) => {
      wake = listener;
      return () => (wake = () => {});
    },
    fire: () => wake(),
  };
}

const everyNamespace: StreamFilter = () => true;
const onlyStaging: StreamFilter = (where) => where.namespace === "staging";
const HOUR = 3_600_000; // a timer that never fires within a test: only wakes re-check

/** Reads frames until `until` matches one; returns every frame read, or ends with `done`. */
async function readFrames(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  until: (frame: string) => boolean,
) {
  const decoder = new TextDecoder();
  const frames: string[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { frames, done: true };
    buffer += decoder.decode(value);
    const parts = buffer.split("\n\n");
    buffer = parts.pop() ?? "";
    frames.push(...parts);
    if (parts.some(until)) return { frames, done: false };
  }
}

describe("streamInventoryEvents re-checking its viewer", () => {
  it("closes when the re-check says the session ended, and stops listening to the inventory", async () => {
    const fake = fakeInventory();
    const waker = manualWake();
    let session: StreamFilter | null = everyNamespace;
    const stream = streamInventoryEvents(fake.inventory, {
      visible: everyNamespace,
      cluster: (status) => status,
      signal: new AbortController().signal,
      recheck: { everyMs: HOUR, access: async () => session, wake: waker.wake },
    });
    const reader = stream.getReader();
    await readFrames(reader, (f) => f.includes("event: ready"));
    fake.deleted("sandbox/production/SealedSecret/db");
    expect((await readFrames(reader, (f) => f.includes("event: delete"))).done).toBe(false);

    session = null;
    waker.fire();
    expect(await reader.read()).toEqual({ value: undefined, done: true });
    expect(fake.listeners.size).toBe(0);
  });

  it("closes on the timer alone when nothing wakes it (a revocation made by another process)", async () => {
    const fake = fakeInventory();
    let checks = 0;
    const stream = streamInventoryEvents(fake.inventory, {
      visible: everyNamespace,
      cluster: (status) => status,
      signal: new AbortController().signal,
      recheck: {
        everyMs: 5,
        access: async () => {
          checks += 1;
          return checks < 3 ? everyNamespace : null;
        },
      },
    });
    const reader = stream.getReader();
    const { done } = await readFrames(reader, () => false);
    expect(done).toBe(true);
    expect(checks).toBe(3);
  });

  it("fails closed when the session cannot be read", async () => {
    const fake = fakeInventory();
    const waker = manualWake();
    const stream = streamInventoryEvents(fake.inventory, {
      visible: everyNamespace,
      cluster: (status) => status,
      signal: new AbortController().signal,
      recheck: {
        everyMs: HOUR,
        access: () => Promise.reject(new Error("database unavailable")),
        wake: waker.wake,
      },
    });
    const reader = stream.getReader();
    await readFrames(reader, (f) => f.includes("event: ready"));
    waker.fire();
    expect(await reader.read()).toEqual({ value: undefined, done: true });
  });

  it("filters later events with the fresh grants", async () => {
    const fake = fakeInventory();
    const waker = manualWake();
    let grants: StreamFilter = everyNamespace;
    let rechecked = () => {};
    const stream = streamInventoryEvents(fake.inventory, {
      visible: everyNamespace,
      cluster: (status) => status,
      signal: new AbortController().signal,
      recheck: {
        everyMs: HOUR,
        access: async () => {
          setTimeout(() => rechecked());
          return grants;
        },
        wake: waker.wake,
      },
    });
    const reader = stream.getReader();
    await readFrames(reader, (f) => f.includes("event: ready"));
    fake.deleted("sandbox/production/SealedSecret/before");
    await readFrames(reader, (f) => f.includes("before"));

    grants = onlyStaging;
    await new Promise<void>((done) => {
      rechecked = done;
      waker.fire();
    });
    fake.deleted("sandbox/production/SealedSecret/after");
    fake.deleted("sandbox/staging/SealedSecret/marker");
    const { frames } = await readFrames(reader, (f) => f.includes("marker"));
    expect(frames.some((f) => f.includes("production"))).toBe(false);
    await reader.cancel();
    expect(fake.listeners.size).toBe(0);
  });

  it("sends a change with the record as it was, and a deletion with the record deleted", async () => {
    const fake = fakeInventory();
    const stream = streamInventoryEvents(fake.inventory, {
      visible: everyNamespace,
      cluster: (status) => status,
      signal: new AbortController().signal,
    });
    const reader = stream.getReader();
    await readFrames(reader, (f) => f.includes("event: ready"));
    const before = { id: "sandbox/staging/SealedSecret/db", namespace: "staging", cluster: "sandbox" };
    const after = { ...before, labels: { team: "payments" } };
    for (const listener of fake.listeners) {
      listener({ type: "upsert", revision: 1, record: after, previous: before } as unknown as InventoryEvent);
      listener({ type: "delete", revision: 2, id: before.id, previous: after } as unknown as InventoryEvent);
    }
    const { frames } = await readFrames(reader, (f) => f.includes("event: delete"));
    const data = (type: string) =>
      JSON.parse(
        frames
          .find((f) => f.includes(`event: ${type}`))!
          .split("\n")
          .find((line) => line.startsWith("data: "))!
          .slice(6),
      ) as unknown;
    expect(data("upsert")).toEqual({ type: "upsert", resourceVersion: 1, record: after, previous: before });
    expect(data("delete")).toEqual({ type: "delete", resourceVersion: 2, id: before.id, previous: after });
    await reader.cancel();
  });

  it("encodes a record change once for every page that may see it; a cluster's status per viewer", async () => {
    const fake = fakeInventory();
    const open = (cluster: (status: never) => unknown) =>
      streamInventoryEvents(fake.inventory, {
        visible: everyNamespace,
        cluster: cluster as never,
        signal: new AbortController().signal,
      }).getReader();
    const granted = open((status) => status);
    const redacted = open((status: { name: string }) => ({ name: status.name, redacted: true }));
    for (const reader of [granted, redacted]) await reader.read(); // the ready frame

    const record = { id: "sandbox/staging/SealedSecret/db", namespace: "staging", cluster: "sandbox" };
    const status = { name: "sandbox", server: "https://10.0.0.1" };
    // The inventory hands every subscriber the same event object.
    const upsert = { type: "upsert", revision: 1, record, previous: null } as unknown as InventoryEvent;
    const clusterChange = { type: "cluster", revision: 2, cluster: status } as unknown as InventoryEvent;
    for (const listener of fake.listeners) listener(upsert);
    for (const listener of fake.listeners) listener(clusterChange);
    const [a, b] = [await granted.read(), await redacted.read()];
    expect(a.value).toBe(b.value);
    const [clusterA, clusterB] = [await granted.read(), await redacted.read()];
    const decode = (bytes?: Uint8Array) => new TextDecoder().decode(bytes);
    expect(decode(clusterA.value)).toContain('"server":"https://10.0.0.1"');
    expect(decode(clusterB.value)).not.toContain("10.0.0.1");
    expect(decode(clusterB.value)).toContain('"redacted":true');
    await granted.cancel();
    await redacted.cancel();
  });
});
