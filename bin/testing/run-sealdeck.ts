import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// The CLI tests run the real entry point as a person would (`node bin/sealdeck.js <command> ...`) and
// look at its exit code and what it printed; this is that one run, with the output collected as text.

const cli = fileURLToPath(new URL("../sealdeck.js", import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

export type CliRunOptions = {
  /** The working directory; the test process's own by default. */
  cwd?: string;
  /** Added to (or overriding) the test process's environment. */
  env?: Record<string, string>;
  /** Written to the command's standard input, which is then closed (empty by default). */
  stdin?: string;
};

/** Runs `node bin/sealdeck.js ...args` to its end and resolves to its exit code and output. */
export function runSealdeck(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: "pipe",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}
