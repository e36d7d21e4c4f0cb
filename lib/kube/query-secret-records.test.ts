import { describe, expect, it } from "vitest";
import type { NamespaceRef } from "@/lib/auth/principal";
import { testDeveloper } from "@/lib/testing/test-principal";
import { testSecretRecord } from "@/lib/testing/test-secret-record";
import {
  compareSecretPositions,
  matchesSecretFilters,
  secretRecordOrder,
  secretSortValue,
} from "@/lib/validations/secret-list-order";
import {
  type SecretListQuery,
  secretListQuerySchema,
  secretSortFields,
} from "@/lib/validations/secret-list-query";
import {
  healthStatuses,
  type SecretRecord,
  secretKinds,
  sealingScopes,
} from "@/lib/validations/secret-record";
import { canSeeRecord, visibleRecordTest } from "./filter-visible-records";
import { querySecretRecords, type RecordPlace } from "./query-secret-records";

const record = testSecretRecord;

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

  it("a one-viewer copy (shared: false) does not become the order the next inventory list derives from", () => {
    const list = Array.from({ length: 50 }, (_, i) => record(`app-${i}`, healthStatuses[i % 4]!));
    const latest = () =>
      (
        globalThis as { sealdeckLatestSortViews?: Map<string, { members: Set<unknown> }> }
      ).sealdeckLatestSortViews?.get("name:asc");
    querySecretRecords(list, q({ sort: "name", order: "asc" }));
    expect(latest()?.members.size).toBe(50);
    const copy = list.slice(0, 5);
    const page = querySecretRecords(copy, q({ sort: "name", order: "asc" }), undefined, { shared: false });
    expect(page.items).toHaveLength(5);
    // Still the inventory's order: the next list after a change derives from it instead of sorting anew.
    expect(latest()?.members.size).toBe(50);
    // Whereas a list queried as shared is kept.
    querySecretRecords(list.slice(0, 5), q({ sort: "name", order: "asc" }));
    expect(latest()?.members.size).toBe(5);
  });

  it("narrows to what the viewer may see, exactly as a filtered copy of the list would", () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      record(`s${i}`, healthStatuses[i % 4]!, {
        id: `c1/ns${i % 4}/SealedSecret/s${i}`,
        namespace: `ns${i % 4}`,
      }),
    );
    const visible = (r: RecordPlace) => r.namespace === "ns1" || r.namespace === "ns3";
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

  it("reads only the places a viewer may see: the grant test runs once per cluster and namespace", () => {
    const estate = Array.from({ length: 400 }, (_, i) =>
      record(`s${i}`, healthStatuses[i % 4]!, {
        id: `c${i % 2}/ns${i % 5}/SealedSecret/s${i}`,
        cluster: `c${i % 2}`,
        namespace: `ns${i % 5}`,
      }),
    );
    const asked: string[] = [];
    const visible = (place: RecordPlace) => {
      asked.push(`${place.cluster}/${place.namespace}`);
      return place.namespace === "ns1" && place.cluster === "c1";
    };
    const page = querySecretRecords(estate, q({ limit: "10" }), visible);
    expect(page.total).toBe(40);
    expect(page.items.every((r) => r.cluster === "c1" && r.namespace === "ns1")).toBe(true);
    // 2 clusters × 5 namespaces: one question each, not one per record.
    expect(asked.length).toBe(10);
    expect(new Set(asked).size).toBe(10);
    asked.length = 0;
    querySecretRecords(estate, q({ namespace: "ns1", cluster: "c0" }), visible);
    expect(asked).toEqual(["c0/ns1"]);
  });

  it("pages a viewer's grants exactly as filtering and sorting the whole list would, while it changes", () => {
    // A deterministic walk over grant shapes, sorts, orders, filters and cursor pages; between pages the
    // list changes by a record (replaced, added, removed), as watch events do.
    let seed = 11;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    const clusters = ["c0", "c1", "c2"];
    const namespaces = ["ns0", "ns1", "ns2", "ns3", "ns4", "ns5"];
    let serial = 0;
    const make = (version: number): SecretRecord => {
      const i = serial++;
      const cluster = pick(clusters);
      // Some cluster-scoped records: only a "*" namespace grant covers them.
      const namespace = random(10) === 0 ? null : pick(namespaces);
      const kind = namespace === null ? "ClusterExternalSecret" : pick(secretKinds.slice(0, 2));
      const name = `app-${random(30)}-${i}`;
      return record(name, pick(healthStatuses), {
        id: `${cluster}/${namespace ?? "-"}/${kind}/${name}`,
        cluster,
        namespace,
        kind,
        scope: pick(sealingScopes),
        keys: [pick(["API_KEY", "TOKEN", "PASSWORD"])],
        createdAt: random(8) === 0 ? null : `2026-11-${String(1 + random(28)).padStart(2, "0")}T00:00:00Z`,
        resourceVersion: String(version),
      });
    };
    let list = Array.from({ length: 400 }, () => make(0));
    const grantShapes: NamespaceRef[][] = [
      [],
      [{ cluster: "c0", namespace: "ns1" }],
      [
        { cluster: "*", namespace: "ns1" },
        { cluster: "*", namespace: "ns2" },
        { cluster: "*", namespace: "ns3" },
      ],
      [
        { cluster: "c1", namespace: "ns0" },
        { cluster: "c2", namespace: "ns5" },
      ],
      [{ cluster: "c2", namespace: "*" }],
      [
        { cluster: "c0", namespace: "*" },
        { cluster: "c1", namespace: "ns4" },
      ],
      [{ cluster: "*", namespace: "*" }],
      [{ cluster: "elsewhere", namespace: "ns1" }],
    ];
    const filterShapes: Record<string, string>[] = [
      {},
      { health: "Degraded" },
      { namespace: "ns1" },
      { cluster: "c1" },
      { kind: "SealedSecret", health: "Healthy" },
      { scope: "strict" },
      { text: "token" },
      { cluster: "c2", namespace: "ns5", text: "app-1" },
    ];
    const positionOf = (r: SecretRecord, query: SecretListQuery): [string | number, string] => [
      secretSortValue(r, query.sort),
      r.id,
    ];
    const expected = (grants: NamespaceRef[], query: SecretListQuery) => {
      const principal = testDeveloper(grants);
      const seen = list.filter(
        (r) => canSeeRecord(principal, r.cluster, r.namespace) && matchesSecretFilters(r, query),
      );
      const counts = Object.fromEntries(
        healthStatuses.map((h) => [h, seen.filter((r) => r.health.status === h).length]),
      );
      const matching = seen.filter((r) => !query.health || r.health.status === query.health);
      return { matching: matching.sort(secretRecordOrder(query)), counts };
    };
    let checkedPages = 0;
    for (let round = 0; round < 40; round++) {
      const grants = grantShapes[round % grantShapes.length]!;
      const principal = testDeveloper(grants);
      const query = q({
        ...filterShapes[random(filterShapes.length)],
        sort: pick(secretSortFields),
        order: pick(["asc", "desc"]),
        limit: String(1 + random(40)),
      });
      const direction = query.order === "desc" ? -1 : 1;
      let cursor: string | undefined;
      let after: [string | number, string] | null = null;
      for (let pages = 0; pages < 30; pages++) {
        const page = querySecretRecords(list, { ...query, cursor }, visibleRecordTest(principal)!);
        const want = expected(grants, query);
        const rest = after
          ? want.matching.filter((r) => direction * compareSecretPositions(positionOf(r, query), after!) > 0)
          : want.matching;
        expect(page.items.map((r) => r.id)).toEqual(rest.slice(0, query.limit).map((r) => r.id));
        expect(page.total).toBe(want.matching.length);
        expect(page.counts).toEqual(want.counts);
        expect(page.nextCursor === null).toBe(rest.length <= query.limit);
        checkedPages++;
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
        after = positionOf(page.items.at(-1)!, query);
        // One change before the next page: the cursor must hold across it.
        const at = random(list.length);
        const change = random(3);
        list =
          change === 0
            ? list.map((r, i) =>
                i === at
                  ? { ...make(pages + 1), id: r.id, cluster: r.cluster, namespace: r.namespace, kind: r.kind }
                  : r,
              )
            : change === 1
              ? [...list, make(pages + 1)]
              : list.filter((_, i) => i !== at);
      }
    }
    // The walk really paged (not one page per round).
    expect(checkedPages).toBeGreaterThan(150);
  });
});
