import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
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
process.env.E2E_IMPERSONATE_PORT ??= freePort();
process.env.E2E_OIDC_PORT ??= freePort();
process.env.E2E_GITHUB_PORT ??= freePort();

const browser = findBrowser();
const prodUrl = `http://127.0.0.1:${process.env.E2E_PORT}`;
const devUrl = `http://127.0.0.1:${process.env.E2E_DEV_PORT}`;
// E2E_DEV=0 leaves the development-server checks out (e.g. while iterating on one spec).
const withDevServer = process.env.E2E_DEV !== "0";
// The e2e servers keep their own embedded databases, apart from the developer's `npm run dev` data.
// Sandbox mode: the sandbox cluster, and one demo user per role (lib/auth/demo-users.ts) to sign in as.
const serverEnv = { HOSTNAME: "127.0.0.1", LOG_LEVEL: "warn", SEALDECK_SANDBOX: "1" };
// The production server also offers single sign-on through a local OpenID Provider (e2e/oidc/issuer.mjs,
// e2e/sso.spec.ts); its group mapping is set with `sealdeck settings set` before it starts.
const oidcIssuerUrl = `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`;
const oidcEnv = {
  SEALDECK_OIDC_ISSUER: oidcIssuerUrl,
  SEALDECK_OIDC_CLIENT_ID: "sealdeck-e2e",
  SEALDECK_OIDC_CLIENT_SECRET: "e2e-oidc-client-secret-not-a-real-one",
  SEALDECK_OIDC_NAME: "Test IdP",
  SEALDECK_OIDC_SCOPES: "openid email profile groups",
};
// And GitHub sign-in through a local stand-in for GitHub's OAuth flow and REST API, laid out as a
// GitHub Enterprise Server (e2e/github/oauth-double.mjs, e2e/sso-github.spec.ts).
const githubDoubleUrl = `http://127.0.0.1:${process.env.E2E_GITHUB_PORT}`;
const githubEnv = {
  SEALDECK_GITHUB_URL: githubDoubleUrl,
  SEALDECK_GITHUB_CLIENT_ID: "sealdeck-e2e-github",
  SEALDECK_GITHUB_CLIENT_SECRET: "e2e-github-client-secret-not-a-real-one",
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  // Playwright's default is half the CPUs: one worker on a 2-core machine outside CI, which doubled the
  // run. Two fit two cores (much of a test is waiting on the servers); bigger machines keep the half.
  workers: Math.max(2, Math.floor(availableParallelism() / 2)),
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
    // It runs after the production-build specs: `next dev` compiles each page on its first visit, which
    // on a 2-core machine shared with the other specs took minutes per page; alone it takes seconds.
    ...(withDevServer
      ? [
          {
            name: "setup-dev",
            testMatch: /auth\.setup\.ts$/,
            dependencies: ["app"],
            timeout: 300_000,
            use: { baseURL: devUrl },
          },
          {
            name: "dev",
            testMatch: /\.dev\.spec\.ts$/,
            dependencies: ["setup-dev"],
            timeout: 240_000,
            use: { baseURL: devUrl },
          },
        ]
      : []),
  ],
  webServer: [
    {
      command: "node e2e/oidc/issuer.mjs",
      url: `${oidcIssuerUrl}/__health`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: { E2E_OIDC_PORT: process.env.E2E_OIDC_PORT!, E2E_APP_URL: prodUrl },
      stdout: "ignore",
      stderr: "ignore",
    },
    {
      command: "node e2e/github/oauth-double.mjs",
      url: `${githubDoubleUrl}/__health`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: { E2E_GITHUB_PORT: process.env.E2E_GITHUB_PORT!, E2E_APP_URL: prodUrl },
      stdout: "ignore",
      stderr: "ignore",
    },
    {
      // Everything the server logs (stdout, at debug level) and prints (stderr, also shown here) lands in
      // .data/e2e-app/server.log, which e2e/seal-propose.spec.ts searches for leaked plaintext.
      command:
        // Standalone output too: e2e/standalone-server.spec.ts runs what the container image runs.
        `SEALDECK_NEXT_OUTPUT=standalone npx next build && mkdir -p .data/e2e-app && : > .data/e2e-app/server.log && ` +
        `node bin/sealdeck.js settings set auth.group-mapping e2e/oidc/group-mapping.json && ` +
        `node bin/sealdeck.js start --port ${process.env.E2E_PORT} ` +
        `3>&1 1>>.data/e2e-app/server.log 2>&3 | tee -a .data/e2e-app/server.log >&2`,
      url: `${prodUrl}/api/healthz`,
      timeout: 600_000,
      reuseExistingServer: false,
      // The controller is re-read every 2 s (not the default minute), so e2e/settings.spec.ts sees a
      // renewed sealing key without waiting.
      env: {
        ...serverEnv,
        ...oidcEnv,
        ...githubEnv,
        LOG_LEVEL: "debug",
        SEALDECK_DATA_DIR: ".data/e2e-app",
        SEALDECK_CONTROLLER_REFRESH_SECONDS: "2",
      },
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // The same production build (web servers start one after the other, so the build above is done)
      // with SEALDECK_KUBE_ACCESS=impersonate, against a sandbox whose RBAC lets the security lead patch
      // only in `development` (e2e/impersonation.spec.ts).
      command: `node bin/sealdeck.js start --port ${process.env.E2E_IMPERSONATE_PORT}`,
      url: `http://127.0.0.1:${process.env.E2E_IMPERSONATE_PORT}/api/healthz`,
      timeout: 300_000,
      reuseExistingServer: false,
      env: {
        ...serverEnv,
        SEALDECK_DATA_DIR: ".data/e2e-impersonate",
        SEALDECK_KUBE_ACCESS: "impersonate",
        SEALDECK_SANDBOX_POLICY: "sandbox/testing/impersonation-policy.yaml",
        SEALDECK_SANDBOX_CLUSTERS: "1",
      },
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
