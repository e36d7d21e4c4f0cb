import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";
import { findBrowser } from "./e2e/find-browser";

// Ports are chosen once in the main process; workers inherit them through the environment.
function freePort(): string {
  return execFileSync(
    process.execPath,
    [
      "-e",
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
    ],
    { encoding: "utf8" },
  ).trim();
}
process.env.E2E_PORT ??= freePort();
process.env.E2E_DEV_PORT ??= freePort();

const browser = findBrowser();
const prodUrl = `http://127.0.0.1:${process.env.E2E_PORT}`;
const devUrl = `http://127.0.0.1:${process.env.E2E_DEV_PORT}`;
const withDevServer = process.env.E2E_DEV === "1";
// The e2e servers keep their own embedded databases, apart from the developer's `npm run dev` data.
// Sandbox mode: the sandbox cluster, and one demo user per role (lib/auth/demo-users.ts) to sign in as.
const serverEnv = { HOSTNAME: "127.0.0.1", LOG_LEVEL: "warn", SEALDECK_SANDBOX: "1" };

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [["list"], ["json"]] : [["list"]],
  use: {
    launchOptions: { executablePath: browser.executablePath, args: browser.args },
    trace: "retain-on-failure",
  },
  projects: [
    // Each server gets its own setup project: it signs every sandbox demo user in once and saves the
    // session (e2e/.auth/<server>-<role>.json) for the specs, which pick one with test.use({ role }).
    { name: "setup-app", testMatch: /auth\.setup\.ts$/, use: { baseURL: prodUrl } },
    {
      name: "app",
      testIgnore: [/\.dev\.spec\.ts$/, /auth\.setup\.ts$/],
      dependencies: ["setup-app"],
      use: { baseURL: prodUrl },
    },
    // Hydration warnings only exist in development builds, so the shell is also checked on `next dev`.
    // Opt-in for now (E2E_DEV=1): signing in on a cold `next dev` timed out on the 2-core CI machine.
    ...(withDevServer
      ? [
          { name: "setup-dev", testMatch: /auth\.setup\.ts$/, use: { baseURL: devUrl } },
          {
            name: "dev",
            testMatch: /\.dev\.spec\.ts$/,
            dependencies: ["setup-dev"],
            use: { baseURL: devUrl },
          },
        ]
      : []),
  ],
  webServer: [
    {
      command: `npx next build && node bin/sealdeck.js start --port ${process.env.E2E_PORT}`,
      url: `${prodUrl}/api/healthz`,
      timeout: 600_000,
      reuseExistingServer: false,
      env: { ...serverEnv, SEALDECK_DATA_DIR: ".data/e2e-app" },
      stdout: "ignore",
      stderr: "pipe",
    },
    ...(withDevServer
      ? [
          {
            command: `node bin/sealdeck.js dev --port ${process.env.E2E_DEV_PORT}`,
            url: `${devUrl}/api/healthz`,
            timeout: 600_000,
            reuseExistingServer: false,
            env: {
              ...serverEnv,
              SEALDECK_DATA_DIR: ".data/e2e-dev",
              SEALDECK_NEXT_DIST_DIR: ".next-e2e-dev",
            },
            stdout: "ignore" as const,
            stderr: "pipe" as const,
          },
        ]
      : []),
  ],
});
