import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPostmasterPid, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { runSealdeck } from "../testing/run-sealdeck";

// CLI commands next to a running dashboard: they use its embedded Postgres and leave it running. Only a
// server whose owner died (the launcher was SIGKILLed) is an orphan to stop.

const fixture = fileURLToPath(new URL("../testing/hold-database.ts", import.meta.url));

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitUntil(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 50));
}

async function count(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe("the embedded Postgres of a running dashboard", () => {
  const dir = mkdtempSync(join(tmpdir(), "sealdeck-shared-db-"));
  const dataDir = join(dir, "postgres");
  // The CLI must find the database through SEALDECK_DATA_DIR alone.
  const env = { SEALDECK_DATA_DIR: dir, DATABASE_URL: "", LOG_LEVEL: "warn" };
  let holder: ChildProcess;
  let url = "";

  /** Starts a process that opens the database as the launcher does and holds it. */
  async function hold(): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", import.meta.resolve("tsx"), fixture],
      { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] },
    );
    url = await new Promise<string>((resolveUrl, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line) resolveUrl((JSON.parse(line) as { url: string }).url);
      });
      child.on("exit", (code) => reject(new Error(`the holder exited with ${code}`)));
    });
    return child;
  }

  beforeAll(async () => {
    // As root, Postgres runs as the postgres user, which must be able to enter the directory.
    chmodSync(dir, 0o755);
    holder = await hold();
  }, 180_000);
  afterAll(async () => {
    if (holder.exitCode === null && holder.signalCode === null) {
      holder.kill("SIGTERM");
      await new Promise((r) => holder.once("exit", r));
    }
    const left = readPostmasterPid(dataDir);
    if (left && alive(left.pid)) process.kill(left.pid, "SIGINT");
    if (left) await waitUntil(() => !alive(left.pid));
    rmSync(dir, { recursive: true, force: true });
  });

  it("survives `sealdeck user` and `sealdeck db migrate`, which work against it", async () => {
    const server = readPostmasterPid(dataDir)!;
    expect(alive(server.pid)).toBe(true);

    const created = await runSealdeck(["user", "create", "dora", "--role", "auditor"], { env });
    expect(created.stderr).toMatch(/already running \(a dashboard owns it\): connected to it/);
    expect(created.code).toBe(0);
    const migrated = await runSealdeck(["db", "migrate"], { env });
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/database is up to date/);
    const listed = await runSealdeck(["user", "list"], { env });
    expect(listed.stdout).toMatch(/^dora\tauditor/m);

    // The same server, still up, and the dashboard's own connection still works.
    expect(readPostmasterPid(dataDir)?.pid).toBe(server.pid);
    expect(alive(server.pid)).toBe(true);
    expect(await count(url, "SELECT count(*) AS n FROM users WHERE username = 'dora'")).toBe(1);
  }, 180_000);

  it("is not shared with a second dashboard, which refuses to start rather than stop it", async () => {
    await expect(startEmbeddedPostgres({ dataDir, ifInUse: "refuse" })).rejects.toThrow(
      /is in use by another process \(pid \d+\)/,
    );
    expect(await count(url, "SELECT 1 AS n")).toBe(1);
  });

  it("is stopped as an orphan once its owner was killed outright, and replaced", async () => {
    const orphan = readPostmasterPid(dataDir)!;
    holder.kill("SIGKILL");
    await new Promise((r) => holder.once("exit", r));
    expect(alive(orphan.pid)).toBe(true); // SIGKILL leaves the server behind

    const listed = await runSealdeck(["user", "list"], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^dora\tauditor/m);
    // The command stopped the orphan, started its own server, and stopped that too.
    expect(alive(orphan.pid)).toBe(false);
    expect(readPostmasterPid(dataDir)).toBeNull();
  }, 180_000);
});
