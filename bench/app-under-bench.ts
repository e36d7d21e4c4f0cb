// Starting the pieces a browser benchmark needs, each in its own child process: the sandbox's generated
// estate (`sealdeck sandbox --objects N`), a production build of the app in its own dist directory,
// a local account made with `sealdeck user create`, and the app itself (`sealdeck start`) pointed at the
// estate through KUBECONFIG, the way an operator runs it against a real cluster (no sandbox, no demo users).
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);

/** The benchmark's own Next.js dist directory, apart from the e2e build in `.next`. */
export const BENCH_DIST_DIR = ".next-bench";

/** The child's environment: the caller's, minus anything that would point it at another database or cluster. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["DATABASE_URL", "KUBECONFIG", "SEALDECK_SANDBOX", "NEXTAUTH_URL", "PORT"])
    delete env[key];
  return { ...env, HOSTNAME: "127.0.0.1", LOG_LEVEL: "warn", ...extra };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Stops a child started here (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The generated estate (`objects` per cluster) in a child; resolves once the API is serving (it prints its kubeconfig path). */
export async function startEstate(objects: number, kubeconfig: string, clusters = 1): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "bin/sealdeck.js",
      "sandbox",
      "--objects",
      String(objects),
      "--clusters",
      String(clusters),
      "--kubeconfig",
      kubeconfig,
      "--no-gitops",
      "--quiet",
    ],
    { stdio: ["ignore", "pipe", "inherit"], env: childEnv({}) },
  );
  await new Promise<void>((resolve, reject) => {
    createInterface(child.stdout!).once("line", () => resolve());
    child.once("exit", (code) => reject(new Error(`sandbox exited early (${code})`)));
  });
  return child;
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${args.join(" ")} failed: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );
}

/**
 * What the build was made from: the tracked files' contents and the uncommitted changes to them, outside
 * the folders the build does not read (bench/, e2e/, docs): editing a benchmark must not cost a rebuild.
 * A benchmark of a build older than the code would measure the wrong thing, so a mismatch means building
 * again. Null outside a git checkout (then an existing build is trusted).
 */
function sourceState(): string | null {
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const paths = ["--", ".", ":!bench", ":!e2e", ":!docs", ":!*.md"];
    const digest = createHash("sha256")
      .update(git(["ls-files", "--stage", ...paths]))
      .update(git(["diff", "HEAD", ...paths]))
      .digest("hex");
    return `app sources ${digest}`;
  } catch {
    return null;
  }
}

const SOURCE_FILE = `${BENCH_DIST_DIR}/sealdeck-source`;

/**
 * `next build` into BENCH_DIST_DIR unless a build of the same source is already there. Next.js adds the
 * dist directory's type folders to tsconfig.json (and rewrites next-env.d.ts); both files are put back
 * exactly as they were.
 */
export async function ensureBenchBuild(log: (line: string) => void): Promise<void> {
  const source = sourceState();
  const built = existsSync(SOURCE_FILE) ? await readFile(SOURCE_FILE, "utf8") : null;
  if (existsSync(`${BENCH_DIST_DIR}/BUILD_ID`) && (source === null || built === source)) return;
  await rm(BENCH_DIST_DIR, { recursive: true, force: true });
  log(`building the app into ${BENCH_DIST_DIR} (several minutes)…`);
  // next-env.d.ts is git-ignored: a fresh checkout has none until Next writes one (null: remove it again).
  const files = ["tsconfig.json", "next-env.d.ts"];
  const kept = await Promise.all(files.map((f) => readFile(f, "utf8").catch(() => null)));
  try {
    await runNode(
      [require.resolve("next/dist/bin/next"), "build"],
      childEnv({ SEALDECK_NEXT_DIST_DIR: BENCH_DIST_DIR, NODE_ENV: "production" }),
    );
  } finally {
    await Promise.all(
      files.map((f, i) => (kept[i] === null ? rm(f, { force: true }) : writeFile(f, kept[i]!))),
    );
  }
  if (source) await writeFile(SOURCE_FILE, source);
}

/** Creates a local account with the CLI; returns its one-time password (to be changed at first sign-in). */
export async function createUser(dataDir: string, username: string, role: string): Promise<string> {
  const out = await runNode(
    ["bin/sealdeck.js", "user", "create", username, "--role", role],
    childEnv({ SEALDECK_DATA_DIR: dataDir }),
  );
  const password = /one-time password: (\S+)/.exec(out)?.[1];
  if (!password) throw new Error("`sealdeck user create` printed no one-time password");
  return password;
}

/** `sealdeck start` against the kubeconfig; resolves once /api/healthz answers. */
export async function startApp(options: {
  dataDir: string;
  kubeconfig: string;
  port: number;
}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["bin/sealdeck.js", "start", "--port", String(options.port)], {
    stdio: ["ignore", "ignore", "inherit"],
    env: childEnv({
      SEALDECK_DATA_DIR: options.dataDir,
      SEALDECK_NEXT_DIST_DIR: BENCH_DIST_DIR,
      KUBECONFIG: options.kubeconfig,
    }),
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sealdeck start exited early (${child.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${options.port}/api/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return child;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error("the app did not answer /api/healthz within 5 minutes");
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
