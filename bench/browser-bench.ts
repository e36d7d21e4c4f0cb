// What the Chromium benches share: the estate, the app as an operator runs it, a security lead signed in
// through the form, and the percentile they report.
import { type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "@playwright/test";
import { findBrowser } from "../e2e/find-browser";
import { createUser, ensureBenchBuild, freePort, startApp, startEstate, stopChild } from "./app-under-bench";

/** The machine's load while measuring (other work on the same cores slows every figure). */
export function loadNote(): string {
  const [one, five] = loadavg();
  return `load average ${one!.toFixed(1)} (1 min), ${five!.toFixed(1)} (5 min) on ${cpus().length} cores`;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Signs in through the form with the one-time password, then sets a new one as the app requires. */
async function signIn(context: BrowserContext, username: string, oneTimePassword: string): Promise<void> {
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(oneTimePassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 120_000 });
  if (!page.url().includes("/change-password")) await page.goto("/change-password");
  const password = randomBytes(18).toString("base64url");
  await page.getByLabel("Current password", { exact: true }).fill(oneTimePassword);
  await page.getByLabel("New password (at least 12 characters)", { exact: true }).fill(password);
  await page.getByLabel("Repeat the new password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Change password", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/change-password"), { timeout: 120_000 });
  await page.close();
}

/**
 * The production build against the estate behind `kubeconfig`, with a new security lead signed in:
 * runs `measure` with that browser context, then stops the browser and the app whatever happens.
 * `dir` holds the app's data directory (and is removed by the caller).
 */
export async function withSignedInContext<T>(
  options: { dir: string; kubeconfig: string; log: (line: string) => void },
  measure: (context: BrowserContext) => Promise<T>,
): Promise<T> {
  const username = "bench-lead";
  const dataDir = join(options.dir, "data");
  let app: ChildProcess | undefined;
  const browser = await chromium.launch({
    executablePath: findBrowser().executablePath,
    args: findBrowser().args,
  });
  try {
    const oneTimePassword = await createUser(dataDir, username, "security-lead");
    const port = await freePort();
    options.log("starting the app…");
    app = await startApp({ dataDir, kubeconfig: options.kubeconfig, port });
    const context = await browser.newContext({
      baseURL: `http://127.0.0.1:${port}`,
      viewport: { width: 1440, height: 900 },
    });
    // The CLI runs the benches through tsx, whose keepNames wraps every named inner function in a
    // `__name(fn, "name")` call: functions handed to addInitScript/evaluate would throw in the page.
    await context.addInitScript({ content: "globalThis.__name ??= (fn) => fn;" });
    // The app answers slowly while it first syncs a large estate on a loaded machine: wait, do not fail.
    context.setDefaultTimeout(300_000);
    context.setDefaultNavigationTimeout(300_000);
    await signIn(context, username, oneTimePassword);
    return await measure(context);
  } finally {
    await browser.close();
    if (app) await stopChild(app);
  }
}

/** A temporary directory the embedded Postgres (run as "postgres" when the bench runs as root) can traverse. */
export async function benchDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sealdeck-bench-${name}-`));
  // Traversable (not listable) by others: run as root, the embedded Postgres runs as "postgres".
  await chmod(dir, 0o711);
  return dir;
}

/**
 * Starts an `objects`-object sandbox estate and the production build against it, signs a new security lead
 * in, runs `measure` with that browser context, and tears everything down whatever happens.
 */
export async function withSignedInApp<T>(
  options: { name: string; objects: number; clusters?: number; log: (line: string) => void },
  measure: (context: BrowserContext, kubeconfig: string) => Promise<T>,
): Promise<T> {
  const dir = await benchDir(options.name);
  const kubeconfig = join(dir, "kubeconfig");
  await ensureBenchBuild(options.log);
  const clusters = options.clusters ?? 1;
  options.log(`starting the estate: ${clusters} cluster(s) of ${options.objects} objects…`);
  const estate = await startEstate(options.objects, kubeconfig, clusters);
  try {
    return await withSignedInContext({ dir, kubeconfig, log: options.log }, (context) =>
      measure(context, kubeconfig),
    );
  } finally {
    await stopChild(estate);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The total of an /api/secrets query (`query` without `limit`), or -1 while the app cannot answer it. */
export async function listTotal(context: BrowserContext, query: string): Promise<number> {
  const response = await context.request.get(`/api/secrets?${query}&limit=1`);
  if (!response.ok()) return -1;
  return ((await response.json()) as { total: number }).total;
}

/** Until the app's caches hold `expected` records (its first sync of a large estate takes a while). */
export async function waitForRecords(
  context: BrowserContext,
  expected: number,
  options: { timeoutMs: number; pollMs: number },
): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const total = await listTotal(context, "sort=name");
    if (total >= expected) return total;
    if (Date.now() > deadline) throw new Error(`the inventory reached only ${total} of ${expected} records`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
