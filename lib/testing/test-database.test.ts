import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { readMigrations } from "../db/read-migrations";
import { createMigratedDatabase, type TestDatabase } from "./test-database";

// Test files get their migrated database as a copy of one migrated once per run (global-setup.ts): each
// copy must be what migrate() makes of an empty database, and a database of its own.

const made: TestDatabase[] = [];
afterAll(() => Promise.all(made.map((db) => db.drop())));

async function query<T>(db: TestDatabase, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

it("has every migration applied, recorded as migrate() records it", async () => {
  const db = await createMigratedDatabase();
  made.push(db);
  const rows = await query<{ migration_name: string; finished: boolean }>(
    db,
    `SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  expect(rows).toEqual((await readMigrations()).map((m) => ({ migration_name: m.name, finished: true })));
});

it("is a database of its own: what one test file writes, another does not see", async () => {
  const [first, second] = await Promise.all([createMigratedDatabase(), createMigratedDatabase()]);
  made.push(first, second);
  await query(first, `INSERT INTO settings (key, value, updated_at) VALUES ('copy-test', '{}', now())`);
  expect(await query(first, `SELECT key FROM settings WHERE key = 'copy-test'`)).toHaveLength(1);
  expect(await query(second, `SELECT key FROM settings WHERE key = 'copy-test'`)).toEqual([]);
});
