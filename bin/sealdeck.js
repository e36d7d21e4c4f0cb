#!/usr/bin/env node
// The `sealdeck` CLI entry point. The commands are TypeScript and share lib/ with the app, whose server
// modules import "server-only"; that marker resolves to a no-op only under the `react-server` export
// condition, so the CLI runs in a child Node with that condition and tsx's loader.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const child = spawn(
  process.execPath,
  // tsx by absolute URL: `--import tsx` would be resolved from the current directory, which may be anywhere.
  ["--conditions=react-server", "--import", import.meta.resolve("tsx"), join(here, "cli.ts"), ...process.argv.slice(2)],
  // tsx reads the `@/` path alias from the tsconfig of the current directory unless told which one.
  { stdio: "inherit", env: { ...process.env, TSX_TSCONFIG_PATH: join(here, "..", "tsconfig.json") } },
);
// The child owns shutdown (it stops Postgres and the sandbox in order); forward signals and wait for it.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 128 + 1 : 1);
});
