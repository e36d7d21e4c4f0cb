import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export type TestDatabase = { name: string; url: string; drop(): Promise<void> };

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${inject("testDatabaseUrl")}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A name no other test database has (the database is not created yet). */
export function newTestDatabaseName(): string {
  return `sealdeck_test_${randomBytes(6).toString("hex")}`;
}

/** The connection string of the test database with that name. */
export function testDatabaseUrl(name: string): string {
  return `${inject("testDatabaseUrl")}/${name}`;
}

/** A fresh, empty database of its own for one test file (so files run in parallel). */
export async function createEmptyDatabase(name = newTestDatabaseName()): Promise<TestDatabase> {
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  return created(name);
}

function created(name: string): TestDatabase {
  return {
    name,
    url: testDatabaseUrl(name),
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A database with every migration applied: a copy of the one lib/testing/global-setup.ts migrated for the
 * run, which is what migrate() makes of an empty database (lib/db/migrate.test.ts tests that itself).
 */
export async function createMigratedDatabase(name = newTestDatabaseName()): Promise<TestDatabase> {
  await admin((client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("testTemplateDatabase")}"`),
  );
  return created(name);
}
