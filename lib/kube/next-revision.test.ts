import { describe, expect, it } from "vitest";
import { nextRevision } from "./next-revision";

describe("nextRevision", () => {
  it("is the time in microseconds, and increases when the clock does not", () => {
    expect(nextRevision(0, 1_700_000_000_000)).toBe(1_700_000_000_000_000);
    expect(nextRevision(1_700_000_000_000_000, 1_700_000_000_000)).toBe(1_700_000_000_000_001);
    // A clock set back never reorders this replica's own changes.
    expect(nextRevision(1_700_000_000_000_500, 1_699_999_999_000)).toBe(1_700_000_000_000_501);
    expect(Number.isSafeInteger(nextRevision(0, Date.UTC(2200, 0, 1)))).toBe(true);
  });

  it("orders changes across replicas: a list from one, events from another", () => {
    // Replica A served a list after its last change; replica B had seen many more changes (a busier
    // process, a counter far ahead) but saw this one later: its event is newer than A's list.
    const listFromA = nextRevision(3, 1_700_000_000_000);
    let b = 0;
    for (let i = 0; i < 5000; i++) b = nextRevision(b, 1_699_999_990_000);
    const eventFromB = nextRevision(b, 1_700_000_000_250);
    expect(eventFromB).toBeGreaterThan(listFromA);
    // And a change B saw before A's list was made is not applied over it.
    expect(nextRevision(0, 1_699_999_999_000)).toBeLessThan(listFromA);
  });
});
