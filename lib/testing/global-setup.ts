import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the test Postgres (no database path); each test file creates its own database. */
    testDatabaseUrl: string;
  }
}

let server: EmbeddedPostgres | undefined;
let dir: string | undefined;

// One Postgres for the whole run: TEST_DATABASE_URL when set (CI runs once against Postgres 15 this
// way), else an embedded one in a throwaway directory.
export async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const url = new URL(external);
    url.pathname = "";
    project.provide("testDatabaseUrl", url.toString().replace(/\/$/, ""));
    return;
  }
  dir = mkdtempSync(join(tmpdir(), "sealdeck-test-"));
  // As root, Postgres runs as the postgres user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  server = await startEmbeddedPostgres({ dataDir: join(dir, "postgres"), database: "postgres" });
  project.provide("testDatabaseUrl", server.url.replace(/\/postgres$/, ""));
}

export async function teardown() {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
