import { describe, expect, it } from "vitest";
import { formatTimestamp } from "./format-timestamp";

describe("formatTimestamp", () => {
  it("writes every moment one way, in UTC with the zone named", () => {
    expect(formatTimestamp("2026-12-05T19:31:02.417Z")).toBe("2026-12-05 19:31:02 UTC");
    // An offset is converted, not dropped.
    expect(formatTimestamp("2026-01-02T00:30:00+01:00")).toBe("2026-01-01 23:30:00 UTC");
    expect(formatTimestamp(new Date(Date.UTC(2027, 8, 9, 4, 5, 6)))).toBe("2027-09-09 04:05:06 UTC");
  });

  it("says what is missing instead of 'Invalid Date'", () => {
    expect(formatTimestamp(null)).toBe("—");
    expect(formatTimestamp(undefined, "never")).toBe("never");
    expect(formatTimestamp("not a time")).toBe("—");
  });
});
