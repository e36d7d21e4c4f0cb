import { describe, expect, it } from "vitest";
import type { RotationListResponse } from "@/lib/validations/rotation";
import {
  parseRotationFilters,
  rotationListUrl,
  rotationReportUrl,
  rotationSummaryUrl,
} from "./rotation-urls";
import { nextRotationOffset } from "./use-rotation-list";

describe("parseRotationFilters", () => {
  it("reads the page's URL filters with the contract's defaults", () => {
    expect(parseRotationFilters({ status: "overdue", namespace: "payments" })).toEqual({
      status: "overdue",
      namespace: "payments",
      sort: "status",
      order: "asc",
    });
  });

  it("drops every filter when one is invalid, so a hand-edited URL never half-applies", () => {
    expect(parseRotationFilters({ status: "late", namespace: "payments" })).toEqual({
      sort: "status",
      order: "asc",
    });
  });
});

describe("rotation URLs", () => {
  const filters = parseRotationFilters({ status: "overdue", team: "payments", sort: "due", order: "desc" });

  it("asks the list route for one page under the filters", () => {
    expect(rotationListUrl(filters, 250, 2000)).toBe(
      "/api/rotations?status=overdue&team=payments&sort=due&order=desc&offset=250&limit=2000",
    );
  });

  it("leaves status and sort out of the charts' query", () => {
    expect(rotationSummaryUrl(filters)).toBe("/api/rotations/summary?team=payments");
    expect(rotationSummaryUrl(parseRotationFilters({}))).toBe("/api/rotations/summary");
  });

  it("links the report with the page's filters and the format", () => {
    expect(rotationReportUrl(filters, "csv")).toBe(
      "/api/rotations/report?status=overdue&team=payments&sort=due&order=desc&format=csv",
    );
  });
});

describe("nextRotationOffset", () => {
  const page = (rows: number, total: number) =>
    ({ rows: Array.from({ length: rows }), total }) as unknown as RotationListResponse;

  it("asks for the rows after those loaded until all are there", () => {
    expect(nextRotationOffset([page(250, 3000)])).toBe(250);
    expect(nextRotationOffset([page(250, 3000), page(2000, 3000)])).toBe(2250);
    expect(nextRotationOffset([page(250, 3000), page(2000, 3000), page(750, 3000)])).toBeUndefined();
  });

  it("stops on an empty page (the estate shrank meanwhile)", () => {
    expect(nextRotationOffset([page(250, 3000), page(0, 3000)])).toBeUndefined();
  });
});
