import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { migrate } from "../db/migrate";

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
  return {
    name,
    url: testDatabaseUrl(name),
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** An empty database with every migration applied. */
export async function createMigratedDatabase(name?: string): Promise<TestDatabase> {
  const db = await createEmptyDatabase(name);
  await migrate(db.url);
  return db;
}
