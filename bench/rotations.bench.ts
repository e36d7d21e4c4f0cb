// The Rotations page against the sandbox's generated estate (SEALDECK_BENCH_OBJECTS SealedSecrets, default
// 20,000, plus half as many ExternalSecrets: 30,000 records, one row per key), side by side with the
// Secrets page in the same run and the same app:
//   1. navigation → first rows painted in Chromium, /rotations vs /secrets (interleaved runs);
//   2. the server's first page of each (GET /api/rotations and GET /api/secrets, 250 rows, as the pages
//      ask for them), p50/p95 over many requests, interleaved.
// The app runs as an operator would run it (production build, KUBECONFIG pointing at the estate, a
// local security lead made with `sealdeck user create`). `npx sealdeck bench rotations` runs it.
import { type BrowserContext } from "@playwright/test";
import { loadNote, percentile, withSignedInApp } from "./browser-bench";
import type { BenchReport, BenchRow } from "./report";

const OBJECTS = Number(process.env.SEALDECK_BENCH_OBJECTS ?? 20_000);
// Per cluster: SEALDECK_BENCH_CLUSTERS=10 SEALDECK_BENCH_OBJECTS=6667 is the 100,000-record estate.
const CLUSTERS = Number(process.env.SEALDECK_BENCH_CLUSTERS ?? 1);
const EXPECTED = CLUSTERS * (OBJECTS + Math.floor(OBJECTS / 2));
const LOAD_RUNS = Number(process.env.SEALDECK_BENCH_RUNS ?? 5);
const API_RUNS = Number(process.env.SEALDECK_BENCH_API_RUNS ?? 100);
const FIRST_ROWS_TARGET_MS = 2000;
const SERVER_P95_TARGET_MS = 50;

function log(line: string) {
  console.error(`rotations: ${line}`);
}

async function totalOf(context: BrowserContext, path: string): Promise<number> {
  const response = await context.request.get(path);
  if (!response.ok()) return -1;
  return ((await response.json()) as { total: number }).total;
}

/** Until the app's caches hold the whole estate (`expected` records), and the rotation schedule covers it. */
async function waitForEstate(
  context: BrowserContext,
  expected: number,
): Promise<{ records: number; keys: number }> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const records = await totalOf(context, "/api/secrets?limit=1");
    const keys = records >= expected ? await totalOf(context, "/api/rotations?limit=1") : -1;
    if (records >= expected && keys >= records) return { records, keys };
    if (Date.now() > deadline)
      throw new Error(`the app reached only ${records} of ${expected} records (${keys} rotation rows)`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

type BenchWindow = Window & { __firstRow?: number };

/** Records, in the page's clock (ms since navigation start), when a row matching `selector` was painted. */
function recordFirstRow(selector: string) {
  const w = window as unknown as BenchWindow;
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => (w.__firstRow = performance.now())));
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function timeFirstRows(context: BrowserContext, path: string, selector: string): Promise<number> {
  const page = await context.newPage();
  try {
    await page.addInitScript(recordFirstRow, selector);
    await page.goto(path, { waitUntil: "commit" });
    await page.waitForFunction(() => (window as unknown as BenchWindow).__firstRow !== undefined, null, {
      polling: "raf",
      timeout: 120_000,
    });
    return await page.evaluate(() => (window as unknown as BenchWindow).__firstRow ?? Number.NaN);
  } finally {
    await page.close();
  }
}

/** One GET of a first page, timed from the request to the whole body read. */
async function timeGet(context: BrowserContext, path: string): Promise<number> {
  const started = performance.now();
  const response = await context.request.get(path);
  await response.body();
  if (!response.ok()) throw new Error(`${path} answered ${response.status()}`);
  return performance.now() - started;
}

/**
 * The Rotations page beside the Secrets page in an app holding (or about to hold) `expected` records:
 * navigation → first rows painted (interleaved runs), then each page's first server page, p50/p95.
 * Waits first until the rotation schedule covers the whole estate.
 */
export async function measureRotationsPage(
  context: BrowserContext,
  options: { expected: number; runs: number; apiRuns: number; log: (line: string) => void },
): Promise<{ records: number; keys: number; rows: BenchRow[] }> {
  const { runs, apiRuns } = options;
  const { records, keys } = await waitForEstate(context, options.expected);
  options.log(`${records} records, ${keys} keys; page loads…`);
  const pages = {
    rotations: {
      path: "/rotations",
      row: '[data-testid="rotation-row"]',
      api: "/api/rotations?limit=250",
    },
    secrets: { path: "/secrets", row: '[data-testid="secret-row"]', api: "/api/secrets?limit=250" },
  };
  // One unmeasured load of each warms the server's routes and the browser's cache.
  for (const p of Object.values(pages)) await timeFirstRows(context, p.path, p.row);
  const rotationsLoads: number[] = [];
  const secretsLoads: number[] = [];
  for (let i = 0; i < runs; i++) {
    rotationsLoads.push(await timeFirstRows(context, pages.rotations.path, pages.rotations.row));
    secretsLoads.push(await timeFirstRows(context, pages.secrets.path, pages.secrets.row));
  }
  options.log("server pages…");
  for (let i = 0; i < 5; i++) for (const p of Object.values(pages)) await timeGet(context, p.api);
  const rotationsApi: number[] = [];
  const secretsApi: number[] = [];
  for (let i = 0; i < apiRuns; i++) {
    rotationsApi.push(await timeGet(context, pages.rotations.api));
    secretsApi.push(await timeGet(context, pages.secrets.api));
  }

  const p50 = (v: number[]) => percentile(v, 50);
  const p95 = (v: number[]) => percentile(v, 95);
  const fmt = (v: number[]) => v.map((x) => Math.round(x)).join(", ");
  const rows: BenchRow[] = [
    {
      name: `/rotations navigation → first rows painted, p50 of ${runs}`,
      value: p50(rotationsLoads),
      unit: "ms",
      reference: { name: "/secrets (same app, same run), p50", value: p50(secretsLoads) },
      ratio: p50(rotationsLoads) / p50(secretsLoads),
      target: "≤ 2000 ms",
      pass: p50(rotationsLoads) <= FIRST_ROWS_TARGET_MS,
      note: `runs: ${fmt(rotationsLoads)} ms vs /secrets ${fmt(secretsLoads)} ms; ${loadNote()}`,
    },
    {
      name: `/rotations navigation → first rows painted, p95 of ${runs}`,
      value: p95(rotationsLoads),
      unit: "ms",
      reference: { name: "/secrets, p95", value: p95(secretsLoads) },
      ratio: p95(rotationsLoads) / p95(secretsLoads),
      target: "≤ 2000 ms",
      pass: p95(rotationsLoads) <= FIRST_ROWS_TARGET_MS,
      note: `with ${runs} runs p95 is the slowest run`,
    },
    {
      name: `GET /api/rotations first page (250 rows, default sort), p50 of ${apiRuns}`,
      value: p50(rotationsApi),
      unit: "ms",
      reference: { name: "GET /api/secrets first page (250 rows), p50", value: p50(secretsApi) },
      ratio: p50(rotationsApi) / p50(secretsApi),
    },
    {
      name: `GET /api/rotations first page (250 rows, default sort), p95 of ${apiRuns}`,
      value: p95(rotationsApi),
      unit: "ms",
      reference: { name: "GET /api/secrets first page (250 rows), p95", value: p95(secretsApi) },
      ratio: p95(rotationsApi) / p95(secretsApi),
      target: "≤ 50 ms",
      pass: p95(rotationsApi) <= SERVER_P95_TARGET_MS,
      note: "timed in the client from request to the whole body, so it includes the local HTTP round trip; interleaved with /api/secrets",
    },
  ];
  return { records, keys, rows };
}

export default async function run(): Promise<BenchReport> {
  return withSignedInApp(
    { name: "rotations", objects: OBJECTS, clusters: CLUSTERS, log },
    async (context) => {
      const { records, keys, rows } = await measureRotationsPage(context, {
        expected: EXPECTED,
        runs: LOAD_RUNS,
        apiRuns: API_RUNS,
        log,
      });
      return {
        title: `Rotations page in Chromium and on the server (${keys} keys of ${records} records from a ${OBJECTS}-object sandbox estate on ${CLUSTERS} cluster(s))`,
        rows,
      };
    },
  );
}
