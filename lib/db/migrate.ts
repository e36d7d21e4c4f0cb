import "server-only";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { readMigrations } from "./read-migrations";

// Applies prisma/migrations without Prisma's schema engine (which cannot be downloaded everywhere), and
// records them in `_prisma_migrations` exactly as `prisma migrate deploy` does, so the two are
// interchangeable: a database migrated by Sealdeck is "up to date" for Prisma, and vice versa.

/** The advisory lock id Prisma's schema engine takes for migrations; sharing it serializes us with it. */
export const PRISMA_MIGRATION_LOCK_ID = 72707369;

const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type MigrateResult = { applied: string[]; alreadyApplied: number };

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Applies every pending migration, each in its own transaction, under Prisma's advisory lock. */
export async function migrate(connectionString: string, options: { dir?: string } = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // Session-level lock: a second process starting at the same moment waits here, then finds
    // everything applied and does nothing.
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATION_LOCK_ID]);
    try {
      await client.query(createMigrationsTable);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
      if (failed) {
        // Same rule as Prisma (P3009): a half-applied migration needs a human.
        throw new MigrationError(
          `migration ${failed.migration_name} failed earlier; resolve it (see README "Database and migrations") before migrating`,
        );
      }
      const done = new Set(rows.filter((row) => row.finished_at !== null).map((row) => row.migration_name));
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        await client.query("BEGIN");
        try {
          const startedAt = new Date();
          await client.query(migration.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations"
               (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
            [randomUUID(), migration.checksum, migration.name, startedAt],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          const reason = error instanceof Error ? error.message : String(error);
          throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`);
        }
        applied.push(migration.name);
      }
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATION_LOCK_ID]);
    }
  } finally {
    await client.end();
  }
}

export type MigrationStatus = { pending: string[]; failed: string[]; unknown: string[] };

/** Compares the database with the migrations on disk, for /api/readyz. */
export async function getMigrationStatus(
  query: <T>(sql: string) => Promise<T[]>,
  options: { dir?: string } = {},
): Promise<MigrationStatus> {
  const migrations = await readMigrations(options.dir);
  const table = await query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
  if (!table[0]?.exists) return { pending: migrations.map((m) => m.name), failed: [], unknown: [] };
  const rows = await query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
  );
  const finished = new Set(rows.filter((row) => row.finished_at !== null).map((row) => row.migration_name));
  const onDisk = new Set(migrations.map((m) => m.name));
  return {
    pending: migrations.filter((m) => !finished.has(m.name)).map((m) => m.name),
    failed: rows.filter((r) => r.finished_at === null && r.rolled_back_at === null).map((r) => r.migration_name),
    // Applied by a newer version of Sealdeck: this build may not understand the schema.
    unknown: [...finished].filter((name) => !onDisk.has(name)),
  };
}
