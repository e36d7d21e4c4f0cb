import "server-only";

import { spawn } from "node:child_process";

export type GitResult = { stdout: string; stderr: string; code: number };

export type RunGitOptions = {
  cwd: string;
  input?: string;
  env?: Record<string, string>;
};

/**
 * Runs the git CLI without a shell (arguments are never interpreted) and without prompts: a remote that
 * wants a password fails at once instead of hanging the request. Global and system config are ignored so
 * a developer's hooks, signing or aliases cannot change what Sealdeck writes.
 */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: {
        NODE_ENV: process.env.NODE_ENV,
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        LANG: "C",
        LC_ALL: "C",
        GIT_TERMINAL_PROMPT: "0",
        GIT_ASKPASS: "",
        SSH_ASKPASS: "",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        ...(process.env.SSH_AUTH_SOCK ? { SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK } : {}),
        ...options.env,
      },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        code: code ?? 1,
      }),
    );
    if (child.stdin) {
      // git may exit before reading all of its input (e.g. on a bad argument); the exit code tells why.
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.input);
    }
  });
}
