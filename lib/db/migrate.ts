import "server-only";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { readMigrations, type MigrationFile } from "./read-migrations";

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

/**
 * Records whether each of `migrations` is expand-only, for older versions' readiness checks, once the
 * table for it exists (migration 20261205232000_migration_compatibility); a recorded one is kept.
 */
async function recordCompatibility(client: pg.Client, migrations: MigrationFile[]): Promise<void> {
  const { rows } = await client.query<{ exists: boolean }>(
    `SELECT to_regclass('"migration_compatibility"') IS NOT NULL AS exists`,
  );
  if (!rows[0]?.exists || migrations.length === 0) return;
  await client.query(
    `INSERT INTO "migration_compatibility" (migration_name, expand_only)
     SELECT m.name, m.expand_only FROM unnest($1::text[], $2::boolean[]) AS m(name, expand_only)
     WHERE EXISTS (SELECT 1 FROM "_prisma_migrations" p WHERE p.migration_name = m.name AND p.finished_at IS NOT NULL)
     ON CONFLICT (migration_name) DO NOTHING`,
    [migrations.map((m) => m.name), migrations.map((m) => m.expandOnly)],
  );
}

export type MigrateResult = { applied: string[]; alreadyApplied: number };

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Applies every pending migration, each in its own transaction, under Prisma's advisory lock. */
export async function migrate(
  connectionString: string,
  options: { dir?: string } = {},
): Promise<MigrateResult> {
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
          await recordCompatibility(client, [migration]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          const reason = error instanceof Error ? error.message : String(error);
          throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`);
        }
        applied.push(migration.name);
      }
      // Migrations applied before the table existed, or by `prisma migrate deploy`, are recorded now.
      await recordCompatibility(client, migrations);
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATION_LOCK_ID]);
    }
  } finally {
    await client.end();
  }
}

export type MigrationStatus = {
  pending: string[];
  failed: string[];
  /** Applied by a newer version and not declared expand-only: this build may not understand the schema. */
  unknown: string[];
  /** Applied by a newer version and declared expand-only: this build keeps working beside them. */
  newerExpandOnly: string[];
};

/** Compares the database with the migrations on disk, for /api/readyz. */
export async function getMigrationStatus(
  query: <T>(sql: string) => Promise<T[]>,
  options: { dir?: string } = {},
): Promise<MigrationStatus> {
  const migrations = await readMigrations(options.dir);
  const tables = await query<{ migrations: boolean; compatibility: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS migrations,
            to_regclass('"migration_compatibility"') IS NOT NULL AS compatibility`,
  );
  if (!tables[0]?.migrations)
    return { pending: migrations.map((m) => m.name), failed: [], unknown: [], newerExpandOnly: [] };
  const rows = await query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
  );
  const finished = new Set(rows.filter((row) => row.finished_at !== null).map((row) => row.migration_name));
  const onDisk = new Set(migrations.map((m) => m.name));
  const newer = [...finished].filter((name) => !onDisk.has(name)).sort();
  const expandOnly = new Set(
    newer.length > 0 && tables[0].compatibility
      ? (
          await query<{ migration_name: string }>(
            `SELECT migration_name FROM "migration_compatibility" WHERE expand_only`,
          )
        ).map((row) => row.migration_name)
      : [],
  );
  return {
    pending: migrations.filter((m) => !finished.has(m.name)).map((m) => m.name),
    failed: rows
      .filter((r) => r.finished_at === null && r.rolled_back_at === null)
      .map((r) => r.migration_name),
    unknown: newer.filter((name) => !expandOnly.has(name)),
    newerExpandOnly: newer.filter((name) => expandOnly.has(name)),
  };
}
