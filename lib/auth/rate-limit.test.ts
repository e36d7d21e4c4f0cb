import { describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/prisma";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { takeSignInToken, takeToken } from "./rate-limit";

describe("sign-in rate limit in Postgres", () => {
  const { prisma, url, query } = setupMigratedDatabase();

  it("allows a burst up to capacity, then refills over time", async () => {
    const spec = { capacity: 3, refillPerMinute: 6 };
    const t = Date.UTC(2030, 0, 1);
    const take = (key: string, at: number) => takeToken(prisma, [key], spec, at);
    const burst = [];
    for (let i = 0; i < 4; i++) burst.push(await take("k", t));
    expect(burst).toEqual([true, true, true, false]);
    expect(await take("other", t)).toBe(true);
    expect(await take("k", t + 9_000)).toBe(false); // 0.9 token
    expect(await take("k", t + 10_000)).toBe(true);
    expect(await take("k", t + 10_000)).toBe(false);
  });

  it("is shared by replicas: two clients draw from the same buckets, at once", async () => {
    const other = createPrismaClient(url);
    try {
      const t = Date.UTC(2030, 0, 2);
      // 20 concurrent tries on two "replicas" for one address and username: 10 pass, whichever asked.
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => takeSignInToken(i % 2 ? other : prisma, "10.1.1.1", "Dana", t)),
      );
      expect(results.filter(Boolean)).toHaveLength(10);
      // The address bucket (30) still lets another username in.
      expect(await takeSignInToken(other, "10.1.1.1", "erin", t)).toBe(true);
    } finally {
      await other.$disconnect();
    }
  });

  it("stores neither the address nor the username", async () => {
    await takeSignInToken(prisma, "192.0.2.77", "someone-specific", Date.UTC(2030, 0, 3));
    const rows = await query<{ key: string }>("SELECT key FROM sign_in_buckets");
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});
