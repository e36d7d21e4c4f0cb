import { format } from "node:util";
import { vi } from "vitest";
import { CliError, type Command } from "@/bin/command";
import type { CliResult } from "@/bin/testing/run-sealdeck";

// A `sealdeck` command run inside the test process, reported as bin/testing/run-sealdeck.ts reports a
// spawned run. Spawning costs a Node start, tsx's compile of the command's imports and (for commands that
// read clusters) a fresh inventory: the CLI tests spawn where the process boundary itself is under test
// (how bin/cli.ts turns a result or an error into an exit code and output, argv, stdin) and run the
// command here for the rest. The command reads process.env: stub what it needs with vi.stubEnv first.

/**
 * Runs `command.run(args)` with what it prints collected. A CliError becomes its exit code and one
 * `sealdeck: <message>` line on stderr, as bin/cli.ts makes it; any other error is thrown.
 */
export async function runCommandInProcess(command: Command, args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  const log = vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => {
    stdout += `${format(...parts)}\n`;
  });
  const error = vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    stderr += `${format(...parts)}\n`;
  });
  try {
    const code = await command.run(args);
    return { code, stdout, stderr };
  } catch (thrown) {
    if (!(thrown instanceof CliError)) throw thrown;
    return { code: thrown.exitCode, stdout, stderr: `${stderr}sealdeck: ${thrown.message}\n` };
  } finally {
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}
