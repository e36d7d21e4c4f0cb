import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

import { acquireJobLease, type LeaseDb, recordJobRun, releaseJobLease } from "./job-lease";

export type ExclusiveJobOptions = {
  /** The lease's pool: the owner's in the launcher, the runtime role's in the app. */
  db: LeaseDb;
  /** Unique per job across the deployment, e.g. `audit-checkpoint`. */
  name: string;
  /** The job runs once per period across every process that runs it. */
  periodMs: number;
  /** How long a lease lasts unrenewed: a dead holder's job moves within this. Default 30 s. */
  leaseMs?: number;
  /** This process's name in the lease (`host:pid:random` by default). */
  holder?: string;
  /**
   * The job itself, told when its run started on the database's clock; a failure is reported to onError
   * and counts as a run (the next period tries again).
   */
  run: (run: { startedAt: Date; holder: string }) => Promise<void>;
  /** Problems with the job or the lease; said once per distinct message by the caller if it wants. */
  onError?: (error: unknown, during: "lease" | "run") => void;
};

export type ExclusiveJob = {
  readonly holder: string;
  /** Stops looking, waits for a run under way, and gives the lease up so another process takes it now. */
  stop(): Promise<void>;
};

/** A process's default holder name: which host and process holds a job, told apart across restarts. */
export function defaultLeaseHolder(): string {
  return `${hostname().slice(0, 150)}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * Runs `run` once per `periodMs` across every process that calls this with the same `name` over one
 * database: whoever holds the Postgres lease runs the job when it is due (due times are kept in the
 * database, so a takeover does not repeat a run of this period), and renews the lease three times per
 * lease period, also while the job runs. If the holder dies, its lease expires and another process takes
 * the job within one lease period. A job is first due when no process ever ran it.
 */
export function runExclusive(options: ExclusiveJobOptions): ExclusiveJob {
  const leaseMs = options.leaseMs ?? 30_000;
  const holder = options.holder ?? defaultLeaseHolder();
  const tickMs = Math.max(50, Math.min(leaseMs / 3, options.periodMs));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let ticking: Promise<void> | null = null;

  const runOnce = async (startedAt: Date) => {
    try {
      await options.run({ startedAt, holder });
    } catch (error) {
      options.onError?.(error, "run");
    }
    try {
      await recordJobRun(options.db, options.name, holder, startedAt, options.periodMs);
    } catch (error) {
      options.onError?.(error, "lease");
    }
  };

  const tick = async () => {
    try {
      const lease = await acquireJobLease(options.db, options.name, holder, leaseMs);
      // A due job starts once: a run under way keeps renewing the lease until it ends.
      if (lease.held && lease.due && !running && !stopped)
        running = runOnce(lease.now).finally(() => (running = null));
    } catch (error) {
      options.onError?.(error, "lease");
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      ticking = tick().finally(() => {
        ticking = null;
        schedule();
      });
    }, tickMs);
    timer.unref();
  };

  ticking = tick().finally(() => {
    ticking = null;
    schedule();
  });

  return {
    holder,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      await running;
      try {
        await releaseJobLease(options.db, options.name, holder);
      } catch (error) {
        options.onError?.(error, "lease");
      }
    },
  };
}
