import { describe, expect, it } from "vitest";
import { querySecretRecords } from "@/lib/kube/query-secret-records";
import {
  type SecretFilters,
  type SecretListResponse,
  type SecretStreamEvent,
  secretListQuerySchema,
  secretSortFields,
} from "@/lib/validations/secret-list-query";
import {
  type HealthStatus,
  healthStatuses,
  type SecretKind,
  type SecretRecord,
} from "@/lib/validations/secret-record";
import { applyEventToList, type ListData } from "./apply-stream-event";
import { testSecretRecord } from "@/lib/testing/test-secret-record";

type Fields = {
  cluster?: string;
  namespace?: string | null;
  kind?: SecretKind;
  status?: HealthStatus;
  createdAt?: string | null;
  keys?: string[];
};

function record(name: string, fields: Fields = {}): SecretRecord {
  const kind = fields.kind ?? "SealedSecret";
  return testSecretRecord(name, fields.status ?? "Healthy", {
    cluster: fields.cluster ?? "c1",
    namespace: fields.namespace === undefined ? "ns" : fields.namespace,
    kind,
    apiVersion: "v1",
    createdAt: fields.createdAt === undefined ? "2026-01-01T00:00:00Z" : fields.createdAt,
    keys: fields.keys ?? ["API_TOKEN"],
    scope: kind === "SealedSecret" ? "strict" : null,
  });
}

const query = (filters: Partial<SecretFilters>, limit: number) =>
  secretListQuerySchema.parse({ ...filters, limit });

/** What the server answers, page by page, up to `pages` pages of `limit` (how useSecretList caches it). */
function serverList(
  records: SecretRecord[],
  filters: Partial<SecretFilters>,
  limit: number,
  pages: number,
  resourceVersion: number,
): ListData {
  const result: ListData = { pages: [], pageParams: [] };
  let cursor: string | undefined;
  for (let i = 0; i < pages; i++) {
    const page = querySecretRecords(records, { ...query(filters, limit), cursor });
    const response: SecretListResponse = { ...page, resourceVersion, clusters: [], warnings: [] };
    result.pages.push(response);
    result.pageParams.push(cursor);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return result;
}

const loaded = (data: ListData | undefined) => data?.pages.flatMap((p) => p.items.map((r) => r.id)) ?? [];
const filtersOf = (filters: Partial<SecretFilters>): SecretFilters => {
  const { cursor: _cursor, limit: _limit, ...rest } = query(filters, 1);
  return rest;
};

describe("applyEventToList", () => {
  const a = record("a", { status: "Degraded" });
  const b = record("b");
  const data = serverList([a, b], {}, 10, 1, 10);

  it("ignores events the list already includes", () => {
    const event: SecretStreamEvent = { type: "delete", resourceVersion: 10, id: a.id, previous: a };
    expect(applyEventToList(data, event, filtersOf({}))).toBe(data);
  });

  it("moves a record whose health changed to its new place in the health sort, and its count", () => {
    const healed = record("a", { status: "Healthy" });
    const next = applyEventToList(
      data,
      { type: "upsert", resourceVersion: 11, record: healed, previous: a },
      filtersOf({}),
    );
    expect(loaded(next)).toEqual([healed.id, b.id].sort());
    expect(next?.pages[0]?.counts).toMatchObject({ Degraded: 0, Healthy: 2 });
    expect(next?.pages[0]?.total).toBe(2);

    const broke = record("b", { status: "Degraded" });
    const after = applyEventToList(
      data,
      { type: "upsert", resourceVersion: 11, record: broke, previous: b },
      filtersOf({}),
    );
    // Both Degraded now: by id.
    expect(loaded(after)).toEqual([a.id, broke.id]);
  });

  it("removes a deleted record and counts it out", () => {
    const next = applyEventToList(
      data,
      { type: "delete", resourceVersion: 11, id: b.id, previous: b },
      filtersOf({}),
    );
    expect(loaded(next)).toEqual([a.id]);
    expect(next?.pages[0]?.total).toBe(1);
    expect(next?.pages[0]?.counts).toMatchObject({ Degraded: 1, Healthy: 0 });
  });

  it("inserts a new record at its place in every sort and order, without a refetch", () => {
    const estate = [
      record("delta", { namespace: "n2", cluster: "c2", createdAt: "2026-03-01T00:00:00Z" }),
      record("alpha", { namespace: "n3", status: "Stale", createdAt: "2026-01-01T00:00:00Z" }),
      record("echo", { namespace: null, kind: "ClusterExternalSecret", cluster: "c3", createdAt: null }),
      record("bravo", { namespace: "n1", kind: "ExternalSecret", status: "Unknown" }),
    ];
    const fresh = record("charlie", { namespace: "n2", cluster: "c1", createdAt: "2026-02-01T00:00:00Z" });
    for (const sort of secretSortFields)
      for (const order of ["asc", "desc"] as const) {
        const before = serverList(estate, { sort, order }, 10, 1, 10);
        const next = applyEventToList(
          before,
          { type: "upsert", resourceVersion: 11, record: fresh, previous: null },
          filtersOf({ sort, order }),
        );
        const expected = serverList([...estate, fresh], { sort, order }, 10, 1, 12);
        expect(loaded(next), `${sort} ${order}`).toEqual(loaded(expected));
        expect(next?.pages[0]?.total).toBe(5);
        expect(next?.pages[0]?.counts).toEqual(expected.pages[0]?.counts);
      }
  });

  it("does not insert a record outside the filters, but counts one outside the health filter alone", () => {
    const filters = { namespace: "ns", health: "Degraded" as const, sort: "name" as const };
    const before = serverList([a, b], filters, 10, 1, 10);
    expect(loaded(before)).toEqual([a.id]);

    const elsewhere = record("aa", { namespace: "other", status: "Degraded" });
    expect(
      applyEventToList(
        before,
        { type: "upsert", resourceVersion: 11, record: elsewhere, previous: null },
        filtersOf(filters),
      ),
    ).toBe(before);

    const healthy = record("ab", { status: "Healthy" });
    const next = applyEventToList(
      before,
      { type: "upsert", resourceVersion: 11, record: healthy, previous: null },
      filtersOf(filters),
    );
    expect(loaded(next)).toEqual([a.id]);
    expect(next?.pages[0]?.total).toBe(1);
    expect(next?.pages[0]?.counts).toMatchObject({ Degraded: 1, Healthy: 2 });
  });

  it("matches the search text the way the server does", () => {
    const filters = { text: "  STRIPE " };
    const before = serverList([a, b], { text: "stripe" }, 10, 1, 10);
    const match = record("z", { keys: ["STRIPE_KEY"] });
    const next = applyEventToList(
      before,
      { type: "upsert", resourceVersion: 11, record: match, previous: null },
      { ...filtersOf({}), text: filters.text },
    );
    expect(loaded(next)).toEqual([match.id]);
  });

  it("leaves a record that sorts past the loaded pages for the page that will hold it, counted", () => {
    const estate = ["b", "d", "f", "h"].map((n) => record(n));
    const before = serverList(estate, { sort: "name" }, 2, 1, 10);
    expect(before.pages[0]?.nextCursor).not.toBeNull();
    const late = record("g");
    const next = applyEventToList(
      before,
      { type: "upsert", resourceVersion: 11, record: late, previous: null },
      filtersOf({ sort: "name" }),
    );
    expect(loaded(next)).toEqual(loaded(before));
    expect(next?.pages[0]?.total).toBe(5);
    const early = record("a");
    expect(
      loaded(
        applyEventToList(
          before,
          { type: "upsert", resourceVersion: 11, record: early, previous: null },
          filtersOf({ sort: "name" }),
        ),
      ),
    ).toEqual([early.id, ...loaded(before)]);
  });

  it("counts out a deleted record that was not on a loaded page", () => {
    const estate = ["b", "d", "f", "h"].map((n) => record(n));
    const before = serverList(estate, { sort: "name" }, 2, 1, 10);
    const next = applyEventToList(
      before,
      { type: "delete", resourceVersion: 11, id: estate[3]!.id, previous: estate[3]! },
      filtersOf({ sort: "name" }),
    );
    expect(loaded(next)).toEqual(loaded(before));
    expect(next?.pages[0]?.total).toBe(3);
    expect(next?.pages[0]?.counts.Healthy).toBe(3);
  });

  // The client's placement must agree with the server's paging, for any history of changes: after a run of
  // random inserts, changes and deletes, the loaded pages equal the server's first pages of the new estate.
  it("keeps every sort and filter of a paged list equal to what the server would now answer", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(values: readonly T[]) => values[random(values.length)]!;
    const make = (i: number) =>
      record(`s-${pick(["a", "m", "z"])}${random(1000)}-${i}`, {
        cluster: pick(["c1", "c2"]),
        namespace: pick(["n1", "n2", "n3"]),
        kind: pick(["SealedSecret", "ExternalSecret"] as const),
        status: pick(healthStatuses),
        createdAt: `2026-0${1 + random(9)}-01T00:00:00Z`,
      });
    const filterSets: Partial<SecretFilters>[] = [
      {},
      { namespace: "n2" },
      { health: "Degraded" },
      { cluster: "c1", kind: "ExternalSecret" },
      { text: "s-m" },
    ];
    for (const sort of secretSortFields)
      for (const order of ["asc", "desc"] as const)
        for (const filter of filterSets) {
          const filters = { ...filter, sort, order };
          let estate = Array.from({ length: 60 }, (_, i) => make(i));
          let data: ListData | undefined = serverList(estate, filters, 8, 2, 100);
          let revision = 100;
          for (let step = 0; step < 40; step++) {
            revision += 1;
            const roll = random(3);
            let event: SecretStreamEvent;
            if (roll === 0) {
              const fresh = make(1000 + step);
              estate = [...estate, fresh];
              event = { type: "upsert", resourceVersion: revision, record: fresh, previous: null };
            } else if (roll === 1) {
              const index = random(estate.length);
              const previous = estate[index]!;
              const changed = { ...previous, health: { ...previous.health, status: pick(healthStatuses) } };
              estate = estate.map((r, i) => (i === index ? changed : r));
              event = { type: "upsert", resourceVersion: revision, record: changed, previous };
            } else {
              const index = random(estate.length);
              const previous = estate[index]!;
              estate = estate.filter((_, i) => i !== index);
              event = { type: "delete", resourceVersion: revision, id: previous.id, previous };
            }
            data = applyEventToList(data, event, filtersOf(filters));
          }
          const shown = loaded(data);
          const server = querySecretRecords(estate, query(filters, 5000));
          const label = JSON.stringify(filters);
          // The loaded rows are exactly a prefix of the server's order (rows past it come with the next page).
          expect(shown, label).toEqual(server.items.slice(0, shown.length).map((r) => r.id));
          expect(data?.pages[0]?.total, label).toBe(server.total);
          expect(data?.pages[0]?.counts, label).toEqual(server.counts);
        }
  });
});
