import { describe, expect, it } from "vitest";
import { complianceSeries, dueSeries } from "./chart-series";

describe("dueSeries", () => {
  it("has every day of the window, with the summary's counts and zero elsewhere", () => {
    const series = dueSeries(
      [
        { date: "2026-12-06", count: 3 },
        { date: "2027-01-01", count: 1 },
      ],
      "2026-12-05T15:00:00.000Z",
      30,
    );
    expect(series).toHaveLength(30);
    expect(series[0]).toEqual({ date: "2026-12-05", count: 0 });
    expect(series[1]).toEqual({ date: "2026-12-06", count: 3 });
    expect(series.find((d) => d.date === "2027-01-01")?.count).toBe(1);
    expect(series.reduce((sum, d) => sum + d.count, 0)).toBe(4);
  });

  it("leaves out what falls beyond the window", () => {
    expect(
      dueSeries([{ date: "2027-06-01", count: 9 }], "2026-12-05T00:00:00Z", 90).every((d) => d.count === 0),
    ).toBe(true);
  });
});

describe("complianceSeries", () => {
  it("names unowned keys, computes the share and puts the worst team first", () => {
    expect(
      complianceSeries([
        { team: "payments", compliant: 9, total: 10 },
        { team: null, compliant: 1, total: 4 },
      ]),
    ).toEqual([
      { team: "Unowned", compliant: 1, notCompliant: 3, total: 4, percent: 25 },
      { team: "payments", compliant: 9, notCompliant: 1, total: 10, percent: 90 },
    ]);
  });
});
