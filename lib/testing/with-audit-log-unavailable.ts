import type { MigratedDatabase } from "./setup-migrated-database";

// Fail-closed tests need the audit log to refuse writes while the rest of the database works. Renaming
// the table does that for every client (the app's Prisma client and the audit pool alike), and renaming
// it back in `finally` leaves the database as it was for the next test even when an assertion fails.

/** Runs `fn` while no audit event can be written to the database, then restores the audit log. */
export async function withAuditLogUnavailable<T>(
  database: Pick<MigratedDatabase, "query">,
  fn: () => Promise<T>,
): Promise<T> {
  await database.query("ALTER TABLE audit_events RENAME TO audit_events_unavailable");
  try {
    return await fn();
  } finally {
    await database.query("ALTER TABLE audit_events_unavailable RENAME TO audit_events");
  }
}
