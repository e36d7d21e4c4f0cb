import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws outside React Server Components; tests import server modules directly.
      { find: /^server-only$/, replacement: `${root}/lib/testing/server-only-noop.ts` },
    ],
  },
  test: {
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", ".next*/**", "e2e/**", ".data/**"],
    globalSetup: ["./lib/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default in run mode is one worker fewer than the CPUs: 1 on a 2-core machine. Most files
    // wait on Postgres, git, child processes or the sandbox rather than the CPU, and each makes its own
    // database, directories and ports, so two files at a time fit two cores.
    maxWorkers: 2,
  },
});
