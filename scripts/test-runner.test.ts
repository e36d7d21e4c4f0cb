import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, expect, it } from "vitest";

// `npm test` (scripts/test.mjs) with stand-ins for its runners in node_modules/.bin: what it sums, the exit
// code, and that the lint goes on beside Vitest rather than holding it up.

const script = resolve("scripts/test.mjs");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function fakeBin(dir: string, name: string, body: string) {
  const path = join(dir, "node_modules", ".bin", name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

const lintFile = (bad: boolean) => ({
  filePath: "/x/a.ts",
  messages: bad ? [{ ruleId: "no-undef", severity: 2, message: "x is not defined", line: 1, column: 1 }] : [],
  errorCount: bad ? 1 : 0,
  warningCount: 0,
  fatalErrorCount: 0,
  fixableErrorCount: 0,
  fixableWarningCount: 0,
});

function runNpmTest(lintBad: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "sealdeck-test-runner-"));
  dirs.push(dir);
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  const report = JSON.stringify([lintFile(lintBad), lintFile(false), lintFile(false)]);
  // The lint ends only once Vitest has started (for 20 s at most): run after the typecheck and Vitest,
  // it would find no marker and fail.
  fakeBin(
    dir,
    "eslint",
    `for i in $(seq 200); do [ -e vitest-started ] && break; sleep 0.1; done
[ -e vitest-started ] || exit 9
printf '%s' '${report}' > "$7"
exit ${lintBad ? 1 : 0}`,
  );
  fakeBin(dir, "tsc", "exit 0");
  fakeBin(
    dir,
    "vitest",
    `: > vitest-started
for arg in "$@"; do case "$arg" in --outputFile.json=*) out="\${arg#--outputFile.json=}";; esac; done
printf '%s' '{"numPassedTests":4,"numFailedTests":0,"numPendingTests":0,"numTodoTests":0}' > "$out"`,
  );
  fakeBin(
    dir,
    "playwright",
    `printf '%s' '{"stats":{"expected":2,"unexpected":0,"flaky":0,"skipped":0}}' > "$PLAYWRIGHT_JSON_OUTPUT_FILE"`,
  );
  const env = { ...process.env, SEALDECK_TEST_EXTRA_DATABASE_URLS: "" };
  return spawnSync(process.execPath, [script], { cwd: dir, encoding: "utf8", env, timeout: 60_000 });
}

it("sums every runner's report into the last line, the lint running beside Vitest", () => {
  const result = runNpmTest(false);
  const lines = result.stdout.trim().split("\n");
  expect(lines.at(-1)).toBe("tests: 10 passed, 0 failed");
  expect(lines.slice(-5).map((line) => line.trim().replace(/\s{2,}/, " | "))).toEqual([
    "lint | 3 passed, 0 failed",
    "typecheck | 1 passed, 0 failed",
    "unit and integration (Vitest) | 4 passed, 0 failed",
    "end-to-end (Playwright) | 2 passed, 0 failed",
    "tests: 10 passed, 0 failed",
  ]);
  expect(result.status).toBe(0);
});

it("exits non-zero and lists the problem when the lint fails", () => {
  const result = runNpmTest(true);
  expect(result.stdout).toContain("x is not defined");
  expect(result.stdout.trim().split("\n").at(-1)).toBe("tests: 9 passed, 1 failed");
  expect(result.status).toBe(1);
});
