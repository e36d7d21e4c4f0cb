import { describe, expect, it } from "vitest";
import type { SecretListResponse } from "@/lib/validations/secret-list-query";
import type { HealthStatus, SecretRecord } from "@/lib/validations/secret-record";
import { applyEventToList, type ListData } from "./apply-stream-event";

const record = (name: string, status: HealthStatus) =>
  ({
    id: `c/ns/SealedSecret/${name}`,
    name,
    health: { status, reason: status, message: null },
  }) as SecretRecord;
const page = (items: SecretRecord[]): SecretListResponse => ({
  items,
  nextCursor: null,
  total: items.length,
  counts: { Degraded: 1, Stale: 0, Unknown: 0, Healthy: 1 },
  resourceVersion: 10,
  clusters: [],
  warnings: [],
});
const data: ListData = {
  pages: [page([record("a", "Degraded"), record("b", "Healthy")])],
  pageParams: [undefined],
};

describe("applyEventToList", () => {
  it("ignores events the list already includes", () => {
    expect(applyEventToList(data, { type: "delete", resourceVersion: 10, id: "c/ns/SealedSecret/a" })).toBe(
      data,
    );
  });
  it("replaces a changed record in place and moves its count", () => {
    const next = applyEventToList(data, {
      type: "upsert",
      resourceVersion: 11,
      record: record("a", "Healthy"),
    });
    expect(next).not.toBe("refetch");
    const first = (next as ListData).pages[0]!;
    expect(first.items.map((r) => r.health.status)).toEqual(["Healthy", "Healthy"]);
    expect(first.counts).toMatchObject({ Degraded: 0, Healthy: 2 });
  });
  it("removes a deleted record", () => {
    const first = (
      applyEventToList(data, { type: "delete", resourceVersion: 11, id: "c/ns/SealedSecret/b" }) as ListData
    ).pages[0]!;
    expect(first.items.map((r) => r.name)).toEqual(["a"]);
    expect(first.total).toBe(1);
  });
  it("asks for a refetch when a new record appears", () => {
    expect(
      applyEventToList(data, { type: "upsert", resourceVersion: 11, record: record("c", "Healthy") }),
    ).toBe("refetch");
  });
});
