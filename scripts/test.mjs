// `npm test`: lint (in the background), typecheck, unit/integration (Vitest) and end-to-end (Playwright).
// Every step runs even when an earlier one fails, so one run shows everything that is wrong; the last
// line sums all runners' JSON reports: `tests: N passed, N failed`. Skipped tests count as failed.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const reports = ".reports";
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const bin = (name) => join("node_modules", ".bin", name);
const results = [];

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function record(label, passed, failed, exitCode, at = results.length) {
  // A runner that crashed before writing its report still counts as a failure.
  if (exitCode !== 0 && failed === 0) failed = 1;
  results.splice(at, 0, { label, passed, failed });
}

// Every runner is spawned without blocking this process, so a step running in the background (the lint)
// is timed and reported when it ends, not when the step in the foreground does.
function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", () => resolve(1));
    child.on("close", (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`◀ ${label}: exit ${code ?? signal} in ${seconds}s`);
      resolve(code ?? 1);
    });
  });
}

// ESLint: one check per linted file. One pass writes the JSON report; the human-readable listing is
// formatted from it, rather than linting every file a second time.
// Lint (type-aware rules: ~2 min of one core) outlasts the typecheck (~1¼ min) by some 40 s, in which the
// other core would idle: Vitest starts as soon as the typecheck is done, beside the rest of the lint.
// ESLint prints nothing while it runs (its report goes to a file), so the two outputs do not interleave.
const eslintJson = join(reports, "eslint.json");
const linting = run("lint", bin("eslint"), [".", "--max-warnings", "0", "-f", "json", "-o", eslintJson]);
const typecheckCode = await run("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);

async function vitest(label, file, args, env) {
  const code = await run(
    label,
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`, ...args],
    env,
  );
  const report = readJson(file);
  const skipped = (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
  record(label, report?.numPassedTests ?? 0, (report?.numFailedTests ?? 0) + skipped, code);
}

await vitest("unit and integration (Vitest)", join(reports, "vitest.json"), []);

{
  const lintCode = await linting;
  const files = readJson(eslintJson) ?? [];
  if (lintCode !== 0 && files.length > 0) {
    const { ESLint } = await import("eslint");
    const stylish = await (await new ESLint().loadFormatter("stylish")).format(files);
    writeFileSync(join(reports, "eslint.txt"), stylish);
    console.log(stylish);
  }
  const bad = files.filter((f) => f.errorCount + f.warningCount > 0).length;
  // Listed first in the summary, as the first step started.
  record("lint", files.length - bad, bad, lintCode, 0);
}

// TypeScript: the whole project is one check.
record("typecheck", typecheckCode === 0 ? 1 : 0, typecheckCode === 0 ? 0 : 1, typecheckCode, 1);

// CI sets SEALDECK_TEST_EXTRA_DATABASE_URLS (space-separated) to run the database tests again on other
// Postgres versions (the machine's Postgres 15 besides the embedded 18).
// A test file is a database test when it makes its database through one of lib/testing's helpers. The extra
// pass runs those where the SQL is our own and so can depend on the server's version: migrations and roles
// (lib/db, the launcher's database setup), the audit chain's triggers, functions and checkpoints (lib/audit),
// leases and row claims (lib/jobs, lib/notifications), the rotation history tables (lib/rotation). The rest reach Postgres through Prisma's generated
// queries, which Prisma supports on every version we do; running them twice doubled this step's time.
const DATABASE_HELPERS = /testing\/(test-database|setup-migrated-database)["']/;
const VERSION_SENSITIVE = [
  "lib/db",
  "lib/audit",
  "lib/jobs",
  "lib/notifications",
  "lib/rotation",
  "bin/launcher",
];
function databaseTestFiles(dir = ".") {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (["node_modules", ".next", ".data", ".git", "e2e"].includes(name) || name.startsWith(".next-"))
      continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...databaseTestFiles(path));
    else if (/\.test\.tsx?$/.test(name) && DATABASE_HELPERS.test(readFileSync(path, "utf8")))
      found.push(path);
  }
  return found;
}
// Tests of several processes (`*.replicas.test.ts`, `notify-replicas`) coordinate through the same statements
// their single-process neighbours test on every version, so they run once.
const versionSensitive = (path) =>
  VERSION_SENSITIVE.some((dir) => path.startsWith(`${dir}/`)) && !/replicas\.test\.tsx?$/.test(path);
for (const [index, url] of (process.env.SEALDECK_TEST_EXTRA_DATABASE_URLS ?? "")
  .split(/\s+/)
  .filter(Boolean)
  .entries()) {
  const label = `database tests on ${new URL(url).host}`;
  await vitest(
    label,
    join(reports, `vitest-extra-${index}.json`),
    databaseTestFiles().filter(versionSensitive),
    {
      TEST_DATABASE_URL: url,
    },
  );
}

// Playwright: expected = passed, unexpected and flaky = failed, skipped = failed.
{
  const file = join(reports, "playwright.json");
  const code = await run("end-to-end (Playwright)", bin("playwright"), ["test"], {
    PLAYWRIGHT_JSON_OUTPUT_FILE: file,
  });
  const stats = readJson(file)?.stats;
  record(
    "end-to-end (Playwright)",
    stats?.expected ?? 0,
    (stats?.unexpected ?? 0) + (stats?.flaky ?? 0) + (stats?.skipped ?? 0),
    code,
  );
}

console.log("\nSummary");
for (const r of results) console.log(`  ${r.label.padEnd(40)} ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
