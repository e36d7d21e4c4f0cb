import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

// Issue #19: what the container image (deploy/Dockerfile) runs, without a Docker engine: the standalone
// server.js of this run's production build (playwright.config.ts builds with SEALDECK_NEXT_OUTPUT=
// standalone), copied as the image lays it out, read-only, started as a non-root user whose HOME does
// not exist. It must answer /api/healthz and serve the sign-in page.

const build = join(process.cwd(), ".next");
const NOBODY = 65534;

function readOnly(path: string) {
  const stat = statSync(path);
  if (stat.isDirectory()) for (const entry of readdirSync(path)) readOnly(join(path, entry));
  chmodSync(path, stat.mode & ~0o222);
}

/** As root: run as `nobody`; otherwise as ourselves (the read-only mode bits still hold). */
function asUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ["setpriv", [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", command, ...args]]
    : [command, args];
}

async function answered(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

test("the standalone server runs read-only as a non-root user and serves health and sign-in", async () => {
  const app = mkdtempSync(join(tmpdir(), "sealdeck-standalone-"));
  chmodSync(app, 0o755);
  let server: ChildProcess | undefined;
  try {
    cpSync(join(build, "standalone", "server.js"), join(app, "server.js"));
    cpSync(join(build, "standalone", "package.json"), join(app, "package.json"));
    cpSync(join(build, "standalone", "node_modules"), join(app, "node_modules"), { recursive: true });
    cpSync(join(build, "standalone", ".next"), join(app, ".next"), { recursive: true });
    cpSync(join(build, "static"), join(app, ".next", "static"), { recursive: true });
    cpSync(join(process.cwd(), "public"), join(app, "public"), { recursive: true });
    readOnly(app);

    const [command, args] = asUser(process.execPath, [
      "-e",
      `require("fs").writeFileSync(${JSON.stringify(join(app, "probe"))}, "x")`,
    ]);
    expect(
      () => execFileSync(command, args, { stdio: "ignore" }),
      "the app directory is read-only",
    ).toThrow();

    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const [serverCommand, serverArgs] = asUser(process.execPath, ["server.js"]);
    server = spawn(serverCommand, serverArgs, {
      cwd: app,
      stdio: "ignore",
      env: {
        PATH: process.env.PATH,
        HOME: "/nonexistent",
        NODE_ENV: "production",
        HOSTNAME: "127.0.0.1",
        PORT: String(port),
        // No database is needed to be healthy or to show the sign-in page; nothing listens on port 1.
        DATABASE_URL: "postgresql://sealdeck@127.0.0.1:1/sealdeck",
        NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        KUBECONFIG: "/nonexistent/kubeconfig",
      },
    });
    const base = `http://127.0.0.1:${port}`;
    await expect.poll(() => answered(`${base}/api/healthz`), { timeout: 45_000 }).toBe(true);
    const signIn = await fetch(`${base}/sign-in`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain("<title>Sign in · Sealdeck");
  } finally {
    server?.kill("SIGTERM");
    execFileSync("chmod", ["-R", "u+w", app]);
    rmSync(app, { recursive: true, force: true });
  }
});
