import { describe, expect, it } from "vitest";
import { createTokenBucket } from "./rate-limit";

describe("token bucket", () => {
  it("allows a burst up to capacity, then refills over time", () => {
    const bucket = createTokenBucket({ capacity: 3, refillPerMinute: 6 });
    const t = 1_000_000;
    expect([1, 2, 3, 4].map(() => bucket.take("k", t))).toEqual([true, true, true, false]);
    expect(bucket.take("other", t)).toBe(true);
    expect(bucket.take("k", t + 9_000)).toBe(false); // 0.9 token
    expect(bucket.take("k", t + 10_000)).toBe(true);
    expect(bucket.take("k", t + 10_000)).toBe(false);
  });
});
