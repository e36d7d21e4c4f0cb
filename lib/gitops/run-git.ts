import "server-only";

import { spawn } from "node:child_process";

import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";

export type GitResult = { stdout: string; stderr: string; code: number };

export type RunGitOptions = {
  cwd: string;
  input?: string;
  env?: Record<string, string>;
  /** Stop git (and ssh or the remote helper it started) after this long; default SEALDECK_GIT_TIMEOUT_SECONDS. */
  timeoutMs?: number;
};

/** The subcommand, for messages: never an argument, which may hold a remote URL with credentials. */
function subcommandOf(args: readonly string[]): string {
  const name = args.find((arg, i) => !arg.startsWith("-") && args[i - 1] !== "-c" && args[i - 1] !== "-C");
  return name && /^[a-z][a-z-]{0,30}$/.test(name) ? name : "command";
}

/**
 * Runs the git CLI without a shell (arguments are never interpreted) and without prompts: a remote that
 * wants a password fails at once instead of hanging the request. Global and system config are ignored so
 * a developer's hooks, signing or aliases cannot change what Sealdeck writes. A remote that accepts the
 * connection and then stalls is cut off after the timeout: git runs in a process group of its own, and
 * the whole group is killed, since ssh or git-remote-https would otherwise keep the pipes open.
 */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? getEnv().SEALDECK_GIT_TIMEOUT_SECONDS * 1000;
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      detached: true,
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
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      reject(
        new AppError(
          "unavailable",
          `git ${subcommandOf(args)} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped; the Git host may be unreachable or stalled. Try again later.`,
        ),
      );
    }, timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      if (!settled) reject(error);
      settled = true;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        code: code ?? 1,
      });
    });
    if (child.stdin) {
      // git may exit before reading all of its input (e.g. on a bad argument); the exit code tells why.
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.input);
    }
  });
}
