import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded-postgres";

const cli = resolve("bin/sealdeck.js");

function runCli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

/** Postgres processes still serving a given data directory. */
function postgresFor(dataDir: string): string[] {
  const ps = spawnSync("ps", ["-eo", "pid,args"], { encoding: "utf8" }).stdout;
  return ps.split("\n").filter((line) => line.includes("postgres") && line.includes(dataDir));
}

async function waitForHealth(port: number, child: ChildProcess) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`launcher exited early with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/readyz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the dashboard never became ready");
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.on("exit", (code) => r(code)),
  );
}

async function withDatabase<T>(dataDir: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  // The launcher keeps the password beside the data directory and the port in postmaster.pid.
  const password = readFileSync(`${dataDir}.password`, "utf8").trim();
  const port = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[3];
  const client = new pg.Client({
    host: "127.0.0.1",
    port: Number(port),
    user: "sealdeck",
    password,
    database: "sealdeck",
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("the launcher (sealdeck dev)", () => {
  const home = mkdtempSync(join(tmpdir(), "sealdeck-launcher-"));
  chmodSync(home, 0o755);
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("exits with one clear line when DATABASE_URL cannot be reached", () => {
    const result = runCli(["dev"], {
      DATABASE_URL: "postgres://nope",
      SEALDECK_DATA_DIR: join(home, "unused"),
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sealdeck: cannot use the database from DATABASE_URL: host not found/);
    expect(result.stdout).toBe("");
  });

  it("exits with one line naming a malformed variable, without echoing it", () => {
    const result = runCli(["dev"], { DATABASE_URL: "mysql://root:hunter2@db/x" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "sealdeck: invalid environment: DATABASE_URL must be a postgres:// or postgresql:// URL with a host",
    );
  });

  it("stops the embedded Postgres with the app, and reuses its data on the next start", async () => {
    const dataRoot = join(home, "data");
    const dataDir = join(dataRoot, "postgres");
    const start = async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [cli, "dev", "--port", String(port)], {
        env: {
          ...process.env,
          SEALDECK_DATA_DIR: dataRoot,
          HOSTNAME: "127.0.0.1",
          SEALDECK_NEXT_DIST_DIR: join(".next-test", "launcher"),
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      // The launcher's own lines (stderr), shown if an assertion on its exit fails.
      let said = "";
      child.stderr?.on("data", (chunk: Buffer) => (said += chunk.toString()));
      await waitForHealth(port, child);
      return Object.assign(child, { said: () => said });
    };

    const first = await start();
    expect(postgresFor(dataDir).length).toBeGreaterThan(0);
    await withDatabase(dataDir, (db) =>
      db.query(
        `INSERT INTO settings (key, value, updated_at) VALUES ('launcher-test', '{"kept": true}', now())`,
      ),
    );
    first.kill("SIGTERM");
    expect(await exited(first), first.said()).toBe(0);
    expect(postgresFor(dataDir)).toEqual([]);

    const second = await start();
    const rows = await withDatabase(dataDir, (db) =>
      db.query(`SELECT value FROM settings WHERE key = 'launcher-test'`),
    );
    expect(rows.rows[0]?.value).toEqual({ kept: true });
    second.kill("SIGINT");
    expect(await exited(second), second.said()).toBe(0);
    expect(postgresFor(dataDir)).toEqual([]);
  }, 240_000);
});
