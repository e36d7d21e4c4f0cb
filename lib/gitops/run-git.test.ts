import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";

import { runGit } from "./run-git";

// A remote that accepts the connection and then says nothing: git's ssh transport is pointed at a script
// that records its pid and sleeps, standing in for ssh talking to a stalled host.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sealdeck-run-git-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Whether a process is still running (a zombie waiting to be reaped counts as gone). */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

async function stalledRemote(): Promise<{ args: string[]; pidFile: string }> {
  const pidFile = path.join(dir, "ssh.pid");
  const script = path.join(dir, "stalled-ssh");
  await writeFile(script, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 600\n`);
  await chmod(script, 0o755);
  return {
    pidFile,
    args: [
      "-c",
      `core.sshCommand=${script}`,
      "ls-remote",
      "ssh://sealdeck:not-a-real-password@git.example.invalid/acme/deploy.git",
    ],
  };
}

describe("runGit", () => {
  it("stops a stalled command after its timeout, with its helper process, and names no argument", async () => {
    const { args, pidFile } = await stalledRemote();
    const error = await runGit(args, { cwd: dir, timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "unavailable" });
    expect((error as AppError).message).toBe(
      "git ls-remote did not finish within 1 s and was stopped; the Git host may be unreachable or stalled. Try again later.",
    );
    expect((error as AppError).message).not.toMatch(/not-a-real-password|example\.invalid|sshCommand/);
    // The whole process group went: the stand-in for ssh does not outlive git.
    const pid = Number((await readFile(pidFile, "utf8")).trim());
    expect(pid).toBeGreaterThan(0);
    let running = await alive(pid);
    for (let i = 0; running && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      running = await alive(pid);
    }
    expect(running).toBe(false);
  });

  it("returns what a command that finishes in time printed", async () => {
    const result = await runGit(["init", "--bare", "--quiet", "repo.git"], { cwd: dir, timeoutMs: 30_000 });
    expect(result).toMatchObject({ code: 0 });
    const version = await runGit(["--version"], { cwd: dir, timeoutMs: 30_000 });
    expect(version.stdout).toMatch(/^git version /);
  });
});
