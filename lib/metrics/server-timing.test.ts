import { describe, expect, it } from "vitest";
import { serverTiming } from "./server-timing";

describe("serverTiming", () => {
  it("lists each phase with its duration, also a phase that failed", async () => {
    const timing = serverTiming();
    expect(await timing.time("rbac", () => 1)).toBe(1);
    await expect(timing.time("events", () => Promise.reject(new Error("unreachable")))).rejects.toThrow(
      "unreachable",
    );
    expect(timing.header()).toMatch(/^rbac;dur=\d+\.\d, events;dur=\d+\.\d$/);
  });
});
