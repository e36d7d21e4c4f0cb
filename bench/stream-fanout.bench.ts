// The live stream's fan-out: one change reaching every open Secrets page. Fifty pages hold a stream each
// (lib/kube/stream-inventory-events.ts, the code behind GET /api/secrets/events), the inventory emits
// record changes, and the time until every page has read every change is measured. Reference, same run:
// the same changes to one page. Sharing the encoded frame keeps fifty pages far below fifty times one.
import type { Inventory, InventoryEvent } from "../lib/kube/inventory";
import { streamInventoryEvents } from "../lib/kube/stream-inventory-events";
import type { SecretRecord } from "../lib/validations/secret-record";
import type { BenchReport } from "./report";

const PAGES = 50;
const CHANGES = Number(process.env.SEALDECK_BENCH_STREAM_CHANGES ?? 5_000);
const ROUNDS = 3;

/** An emitter with the two members the stream reads, standing in for the inventory's. */
function emitter() {
  const listeners = new Set<(event: InventoryEvent) => void>();
  let revision = 0;
  const inventory = {
    get revision() {
      return revision;
    },
    subscribe(listener: (event: InventoryEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as Inventory;
  const emit = (record: SecretRecord) => {
    revision += 1;
    const event = { type: "upsert", revision, record, previous: record } as unknown as InventoryEvent;
    for (const listener of listeners) listener(event);
  };
  return { inventory, emit };
}

/** A record of the size the sandbox's generated estate has (three keys, labels, a consumer, conditions). */
function record(i: number): SecretRecord {
  const namespace = `team-${i % 500}`;
  const name = `app-${i}-credentials`;
  return {
    id: `cluster-${i % 10}/${namespace}/SealedSecret/${name}`,
    cluster: `cluster-${i % 10}`,
    namespace,
    name,
    kind: "SealedSecret",
    apiVersion: "bitnami.com/v1alpha1",
    uid: `6f1c2a4e-0000-4000-8000-${String(i).padStart(12, "0")}`,
    resourceVersion: String(100_000 + i),
    createdAt: "2026-11-01T10:00:00Z",
    labels: { "app.kubernetes.io/name": `app-${i}`, team: `team-${i % 50}` },
    rotationAnnotations: { "sealdeck.io/rotate-every": "90d", "sealdeck.io/owner": `team-${i % 50}` },
    keys: ["password", "username", "url"],
    scope: "strict",
    type: "Opaque",
    source: { kind: "SealedSecret", sealedWith: "0a1b2c3d4e5f", observedGeneration: 3, generation: 3 },
    target: { name, present: true },
    health: { status: "Healthy", reason: "Synced", message: "SealedSecret unsealed successfully" },
    conditions: [
      { type: "Synced", status: "True", reason: "", message: "", lastTransitionTime: "2026-11-01T10:00:05Z" },
    ],
    consumers: [{ kind: "Deployment", name: `app-${i}`, references: ["env"] }],
    application: { name: `app-${i}`, namespace: "argocd", syncStatus: "Synced", healthStatus: "Healthy" },
    diagnosis: null,
    staleSince: null,
  } as unknown as SecretRecord;
}

/** Opens `pages` streams, emits every change, and resolves when each page has read all of them. */
async function deliver(pages: number, records: SecretRecord[]): Promise<number> {
  const { inventory, emit } = emitter();
  const controllers = Array.from({ length: pages }, () => new AbortController());
  const readers = controllers.map((controller) =>
    streamInventoryEvents(inventory, {
      visible: (where) => where.namespace !== "team-499",
      cluster: (status) => status,
      signal: controller.signal,
    }).getReader(),
  );
  const expected = records.filter((r) => r.namespace !== "team-499").length;
  for (const reader of readers) await reader.read(); // the ready frame
  const started = performance.now();
  const drained = readers.map(async (reader) => {
    for (let read = 0; read < expected;) {
      const { done } = await reader.read();
      if (done) throw new Error("a stream ended early");
      read += 1;
    }
  });
  for (const r of records) emit(r);
  await Promise.all(drained);
  const elapsed = performance.now() - started;
  for (const controller of controllers) controller.abort();
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export default async function run(): Promise<BenchReport> {
  const records = Array.from({ length: CHANGES }, (_, i) => record(i));
  await deliver(PAGES, records.slice(0, 200)); // warm the JIT on both paths
  const one: number[] = [];
  const many: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    one.push(await deliver(1, records));
    many.push(await deliver(PAGES, records));
  }
  const single = median(one);
  const fanned = median(many);
  const perPage = fanned / PAGES;
  return {
    title: "Live stream fan-out",
    rows: [
      {
        name: `${CHANGES.toLocaleString("en")} record changes to ${PAGES} open pages (median of ${ROUNDS})`,
        value: fanned,
        unit: "ms",
        reference: { name: "the same changes to one page", value: single },
        ratio: fanned / single,
        target: `≤ ${PAGES / 5}× one page (a fifth of ${PAGES} separate encodings)`,
        pass: fanned / single <= PAGES / 5,
        note: `${((fanned / CHANGES) * 1000).toFixed(1)} µs per change for all pages; ${perPage.toFixed(1)} ms per page`,
      },
    ],
  };
}
