import "server-only";

// A background job's lease in Postgres (table job_leases). Every statement is one atomic step on the
// database's clock, so replicas whose clocks disagree still agree on who holds a job and when it is due.

/** What the lease needs of a connection: pg's Pool and Client both fit. */
export type LeaseDb = {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
};

export type LeaseState = {
  /** This holder holds the lease until the database's `expiresAt`. */
  held: boolean;
  /** Held, and no run of this job is due later than now (whoever ran it last). */
  due: boolean;
  /** The database's clock when the lease was taken or renewed. */
  now: Date;
};

// Takes the lease when nobody holds it (or it expired), renews it when this holder has it; otherwise
// changes nothing and returns no row.
const ACQUIRE = `INSERT INTO job_leases AS l (name, holder, expires_at, acquired_at)
VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond', clock_timestamp())
ON CONFLICT (name) DO UPDATE SET
  holder = EXCLUDED.holder,
  expires_at = EXCLUDED.expires_at,
  acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE EXCLUDED.acquired_at END
WHERE l.expires_at < clock_timestamp() OR l.holder = EXCLUDED.holder
RETURNING (next_run_at IS NULL OR next_run_at <= clock_timestamp()) AS due, clock_timestamp() AS now`;

/** Takes or renews `name` for `holder` for `leaseMs`; `held: false` when another holder has it. */
export async function acquireJobLease(
  db: LeaseDb,
  name: string,
  holder: string,
  leaseMs: number,
): Promise<LeaseState> {
  const { rows } = await db.query<{ due: boolean; now: Date }>(ACQUIRE, [name, holder, Math.round(leaseMs)]);
  const row = rows[0];
  if (!row) return { held: false, due: false, now: new Date() };
  return { held: true, due: row.due, now: row.now };
}

/**
 * Records a run that started at `startedAt` (the database time its lease said it was due) and makes the
 * job due again one period later. Only while `holder` still holds the lease: false when it lost it.
 */
export async function recordJobRun(
  db: LeaseDb,
  name: string,
  holder: string,
  startedAt: Date,
  periodMs: number,
): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE job_leases SET last_run_at = $3, last_run_by = $2,
       next_run_at = $3::timestamptz + $4 * interval '1 millisecond'
     WHERE name = $1 AND holder = $2 RETURNING name`,
    [name, holder, startedAt, Math.round(periodMs)],
  );
  return rows.length === 1;
}

/** Gives the lease up now (a clean shutdown), so another replica need not wait for it to expire. */
export async function releaseJobLease(db: LeaseDb, name: string, holder: string): Promise<void> {
  await db.query(
    "UPDATE job_leases SET expires_at = clock_timestamp() - interval '1 millisecond' WHERE name = $1 AND holder = $2",
    [name, holder],
  );
}
