import { describe, expect, it } from "vitest";
import { secretRecordOrder } from "@/lib/validations/secret-list-order";
import { secretListQuerySchema, secretSortFields } from "@/lib/validations/secret-list-query";
import { type HealthStatus, healthStatuses, type SecretRecord } from "@/lib/validations/secret-record";
import { querySecretRecords } from "./query-secret-records";

function record(name: string, health: HealthStatus, extra: Partial<SecretRecord> = {}): SecretRecord {
  return {
    id: `c1/ns/SealedSecret/${name}`,
    cluster: "c1",
    namespace: "ns",
    name,
    kind: "SealedSecret",
    apiVersion: "bitnami.com/v1alpha1",
    uid: name,
    resourceVersion: "1",
    createdAt: null,
    labels: {},
    keys: ["API_KEY"],
    scope: "strict",
    type: "Opaque",
    source: {
      kind: "sealed-secrets",
      controller: null,
      sealedWith: null,
      templateName: null,
      templateNamespace: null,
    },
    target: { name, present: true },
    health: { status: health, reason: health, message: null },
    conditions: [],
    consumers: [],
    application: null,
    diagnosis: null,
    staleSince: null,
    ...extra,
  };
}

const records = [
  record("b", "Healthy"),
  record("a", "Degraded"),
  record("c", "Stale", { scope: "cluster-wide", keys: ["TOKEN"] }),
  record("d", "Healthy", { namespace: "other", id: "c1/other/SealedSecret/d" }),
];
const q = (params: Record<string, string>) => secretListQuerySchema.parse(params);

describe("querySecretRecords", () => {
  it("sorts failing first by default and counts every state", () => {
    const result = querySecretRecords(records, q({}));
    expect(result.items.map((r) => r.name)).toEqual(["a", "c", "b", "d"]);
    expect(result.counts).toEqual({ Degraded: 1, Stale: 1, Unknown: 0, Healthy: 2 });
    expect(result.total).toBe(4);
  });
  it("filters by namespace, scope, health and text; counts ignore the health filter", () => {
    expect(querySecretRecords(records, q({ namespace: "other" })).items.map((r) => r.name)).toEqual(["d"]);
    expect(querySecretRecords(records, q({ scope: "cluster-wide" })).items.map((r) => r.name)).toEqual(["c"]);
    const healthy = querySecretRecords(records, q({ health: "Healthy" }));
    expect(healthy.items.map((r) => r.name)).toEqual(["b", "d"]);
    expect(healthy.counts.Degraded).toBe(1);
    expect(querySecretRecords(records, q({ text: "token" })).items.map((r) => r.name)).toEqual(["c"]);
    expect(querySecretRecords(records, q({ namespace: "", text: "" })).total).toBe(4);
  });
  it("pages with a cursor that survives inserts before it", () => {
    const first = querySecretRecords(records, q({ sort: "name", limit: "2" }));
    expect(first.items.map((r) => r.name)).toEqual(["a", "b"]);
    const grown = [...records, record("aa", "Healthy")];
    const second = querySecretRecords(grown, q({ sort: "name", limit: "2", cursor: first.nextCursor! }));
    expect(second.items.map((r) => r.name)).toEqual(["c", "d"]);
    expect(second.nextCursor).toBeNull();
    expect(querySecretRecords(records, q({ sort: "name", order: "desc" })).items.map((r) => r.name)).toEqual([
      "d",
      "c",
      "b",
      "a",
    ]);
  });
  it("rejects a forged cursor and bad parameters", () => {
    expect(() => querySecretRecords(records, q({ cursor: "nope" }))).toThrow(/cursor/);
    expect(secretListQuerySchema.safeParse({ health: "Great" }).success).toBe(false);
    expect(secretListQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
  });

  it("keeps every order exact while the list changes a record at a time (derived, not sorted again)", () => {
    // A deterministic walk: each step replaces, adds or removes one record, as watch events do.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const make = (i: number, version: number) =>
      record(`app-${random(40)}-${i}`, healthStatuses[random(4)]!, {
        id: `c${i % 3}/ns${i % 5}/SealedSecret/app-${i}`,
        cluster: `c${i % 3}`,
        namespace: `ns${i % 5}`,
        createdAt: `2026-11-${String(1 + random(28)).padStart(2, "0")}T00:00:00Z`,
        resourceVersion: String(version),
      });
    let list = Array.from({ length: 300 }, (_, i) => make(i, 0));
    let next = list.length;
    for (let step = 1; step <= 60; step++) {
      const at = random(list.length);
      const change = step % 3;
      list =
        change === 0
          ? list.map((r, i) => (i === at ? make(Number(r.id.split("-").at(-1)), step) : r))
          : change === 1
            ? [...list, make(next++, step)]
            : list.filter((_, i) => i !== at);
      for (const sort of secretSortFields)
        for (const order of ["asc", "desc"] as const) {
          const expected = [...list].sort(secretRecordOrder({ sort, order })).map((r) => r.id);
          const page = querySecretRecords(list, q({ sort, order, limit: "500" }));
          expect(page.items.map((r) => r.id)).toEqual(expected);
          const degraded = querySecretRecords(list, q({ sort, order, health: "Degraded", limit: "500" }));
          expect(degraded.items.map((r) => r.id)).toEqual(
            expected.filter((id) => list.find((r) => r.id === id)!.health.status === "Degraded"),
          );
          const inNamespace = querySecretRecords(list, q({ sort, order, namespace: "ns2", limit: "500" }));
          expect(inNamespace.items.map((r) => r.id)).toEqual(
            expected.filter((id) => list.find((r) => r.id === id)!.namespace === "ns2"),
          );
          const counts = Object.fromEntries(
            healthStatuses.map((h) => [h, list.filter((r) => r.health.status === h).length]),
          );
          expect(page.counts).toEqual(counts);
        }
    }
  });

  it("narrows to what the viewer may see, exactly as a filtered copy of the list would", () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      record(`s${i}`, healthStatuses[i % 4]!, {
        id: `c1/ns${i % 4}/SealedSecret/s${i}`,
        namespace: `ns${i % 4}`,
      }),
    );
    const visible = (r: SecretRecord) => r.namespace === "ns1" || r.namespace === "ns3";
    const cases: Record<string, string>[] = [
      {},
      { health: "Healthy" },
      { sort: "name", limit: "5" },
      { namespace: "ns1" },
    ];
    for (const params of cases) {
      const narrowed = querySecretRecords(many, q(params), visible);
      const copied = querySecretRecords(many.filter(visible), q(params));
      expect(narrowed).toEqual(copied);
    }
    expect(querySecretRecords(many, q({ namespace: "ns2" }), visible).total).toBe(0);
  });
});
