import { describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { acquireJobLease, recordJobRun, releaseJobLease } from "./job-lease";
import { runExclusive } from "./run-exclusive";

describe("job leases", () => {
  const { pool, query } = setupMigratedDatabase({ poolMax: 4 });
  // As if the holder had died long enough ago: its lease ran out.
  const expire = (name: string) =>
    query("UPDATE job_leases SET expires_at = clock_timestamp() - interval '1 second' WHERE name = $1", [
      name,
    ]);

  it("one holder at a time; renewed by its holder; taken over only once expired", async () => {
    expect(await acquireJobLease(pool, "a", "one", 60_000)).toMatchObject({ held: true, due: true });
    expect(await acquireJobLease(pool, "a", "two", 60_000)).toMatchObject({ held: false });
    expect(await acquireJobLease(pool, "a", "one", 60_000)).toMatchObject({ held: true });
    await expire("a");
    expect(await acquireJobLease(pool, "a", "two", 60_000)).toMatchObject({ held: true, due: true });
    expect(await acquireJobLease(pool, "a", "one", 60_000)).toMatchObject({ held: false });
    const [row] = await query<{ holder: string }>("SELECT holder FROM job_leases WHERE name = 'a'");
    expect(row?.holder).toBe("two");
  });

  it("16 contenders at once: exactly one holds the lease", async () => {
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => acquireJobLease(pool, "race", `h${i}`, 60_000)),
    );
    expect(results.filter((r) => r.held)).toHaveLength(1);
  });

  it("a run recorded by one holder is not repeated by the next within the period", async () => {
    const first = await acquireJobLease(pool, "b", "one", 60_000);
    expect(await recordJobRun(pool, "b", "one", first.now, 3_600_000)).toBe(true);
    expect(await acquireJobLease(pool, "b", "one", 60_000)).toMatchObject({ held: true, due: false });
    await expire("b");
    // The new holder holds the job but it is not due: the dead holder ran it this period.
    expect(await acquireJobLease(pool, "b", "two", 60_000)).toMatchObject({ held: true, due: false });
    // A holder that lost the lease cannot record a run.
    expect(await recordJobRun(pool, "b", "one", first.now, 1)).toBe(false);
    // Once the period is over it is due again.
    await query(
      "UPDATE job_leases SET next_run_at = clock_timestamp() - interval '1 second' WHERE name = 'b'",
    );
    expect(await acquireJobLease(pool, "b", "two", 60_000)).toMatchObject({ held: true, due: true });
  });

  it("a released lease is taken at once", async () => {
    await acquireJobLease(pool, "c", "one", 60_000);
    await releaseJobLease(pool, "c", "one");
    expect(await acquireJobLease(pool, "c", "two", 60_000)).toMatchObject({ held: true });
  });

  it("runExclusive: of two runners one runs the job, and stopping it hands the job over", async () => {
    const ran: string[] = [];
    let resolveFirst: () => void = () => undefined;
    const first = new Promise<void>((r) => (resolveFirst = r));
    const start = (holder: string) =>
      runExclusive({
        db: pool,
        name: "d",
        holder,
        periodMs: 3_600_000,
        leaseMs: 300,
        async run() {
          ran.push(holder);
          resolveFirst();
        },
      });
    const one = start("one");
    await first;
    const two = start("two");
    await one.stop();
    // "two" takes the lease "one" gave up, but the job is not due again for an hour.
    let holder: string | undefined;
    while (holder !== "two") {
      await new Promise((r) => setTimeout(r, 50));
      [{ holder } = { holder: undefined }] = await query<{ holder: string }>(
        "SELECT holder FROM job_leases WHERE name = 'd'",
      );
    }
    await two.stop();
    expect(ran).toEqual(["one"]);
    const [row] = await query<{ last_run_by: string }>("SELECT last_run_by FROM job_leases WHERE name = 'd'");
    expect(row?.last_run_by).toBe("one");
  });
});
