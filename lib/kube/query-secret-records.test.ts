import { describe, expect, it } from "vitest";
import { secretListQuerySchema } from "@/lib/validations/secret-list-query";
import type { HealthStatus, SecretRecord } from "@/lib/validations/secret-record";
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
});
