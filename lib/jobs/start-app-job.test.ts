import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/log/logger";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { type AppJobHandle, startAppJob, stopAppJob } from "./start-app-job";

const handle: AppJobHandle = "sealdeckStartAppJobTest";

describe("startAppJob", () => {
  const { pool, query } = setupMigratedDatabase();
  afterEach(async () => {
    await stopAppJob(handle);
    vi.restoreAllMocks();
  });

  /** Runs the job once per outcome (a message: that run fails with it; null: it succeeds), then stops it. */
  async function warningsOver(outcomes: (string | null)[], repeatProblems?: boolean) {
    const warned: unknown[] = [];
    vi.spyOn(logger, "warn").mockImplementation((fields: unknown) => void warned.push(fields));
    let runs = 0;
    let allRan: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allRan = resolve));
    startAppJob(
      {
        handle,
        name: `test-${randomUUID()}`,
        periodMs: 1,
        failure: "test job failed",
        repeatProblems,
        async run() {
          const outcome = outcomes[runs++];
          if (runs === outcomes.length) allRan();
          // Two lines: only the first is said.
          if (outcome) throw new Error(`${outcome}\n    at a stack frame`);
        },
      },
      { leaseDb: pool, leaseMs: 60_000 },
    );
    await done;
    // Waits for the last run's report.
    await stopAppJob(handle);
    return warned;
  }

  it("says a problem once until a run succeeds or another problem comes", async () => {
    expect(
      await warningsOver(["store down", "store down", null, "store down", "denied", "store down"]),
    ).toEqual([
      { problem: "store down", during: "run" },
      { problem: "store down", during: "run" },
      { problem: "denied", during: "run" },
      { problem: "store down", during: "run" },
    ]);
  });

  it("says every problem with repeatProblems", async () => {
    expect(await warningsOver(["store down", "store down"], true)).toEqual([
      { problem: "store down", during: "run" },
      { problem: "store down", during: "run" },
    ]);
  });

  it("keeps one job per handle on globalThis: a second start stops the first; stop gives the lease up", async () => {
    const name = `test-${randomUUID()}`;
    const job = { handle, name, periodMs: 60_000, failure: "test job failed", run: async () => undefined };
    const first = startAppJob(job, { leaseDb: pool, leaseMs: 60_000 });
    const stopFirst = vi.spyOn(first, "stop");
    const second = startAppJob(job, { leaseDb: pool, leaseMs: 60_000 });
    expect(stopFirst).toHaveBeenCalledOnce();
    expect((globalThis as Record<string, unknown>)[handle]).toBe(second);
    await stopAppJob(handle);
    expect((globalThis as Record<string, unknown>)[handle]).toBeUndefined();
    const lease = await query(
      "SELECT expires_at > clock_timestamp() AS held FROM job_leases WHERE name = $1",
      [name],
    );
    expect(lease).toEqual([{ held: false }]);
  });
});
