import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded-postgres";
import { migrate } from "../db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the test Postgres (no database path); each test file creates its own database. */
    testDatabaseUrl: string;
    /** A database with every migration applied, that test files copy (CREATE DATABASE … TEMPLATE). */
    testTemplateDatabase: string;
  }
}

let server: EmbeddedPostgres | undefined;
let dir: string | undefined;
let adminUrl: string | undefined;
let template: string | undefined;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${adminUrl}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// One Postgres for the whole run: TEST_DATABASE_URL when set (CI runs once against Postgres 15 this
// way), else an embedded one in a throwaway directory.
export async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const url = new URL(external);
    url.pathname = "";
    adminUrl = url.toString().replace(/\/$/, "");
  } else {
    dir = mkdtempSync(join(tmpdir(), "sealdeck-test-"));
    // As root, Postgres runs as the postgres user, which must be able to enter the directory.
    chmodSync(dir, 0o755);
    server = await startEmbeddedPostgres({ dataDir: join(dir, "postgres"), database: "postgres" });
    adminUrl = server.url.replace(/\/postgres$/, "");
  }
  project.provide("testDatabaseUrl", adminUrl);

  // Migrating costs about a second per database and some 70 files want a migrated one: they copy this
  // one instead, migrated once per run by the same migrate() (so on each server version the run uses).
  // Nobody may stay connected to it, or the copies fail: connections are refused once it is migrated.
  template = `sealdeck_test_template_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE "${template}"`);
  await migrate(`${adminUrl}/${template}`);
  await admin(`ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`);
  project.provide("testTemplateDatabase", template);
}

export async function teardown() {
  if (template && !server) await admin(`DROP DATABASE IF EXISTS "${template}"`);
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
