import { spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubectlOk } from "../../sandbox/testing/run-kubectl";

// The command as a person runs it: `node bin/sealdeck.js sandbox ...` in the foreground, stopped by a signal.
const cli = join(process.cwd(), "bin/sealdeck.js");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sealdeck-sandbox-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const child = spawn(process.execPath, [cli, "sandbox", ...args], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // Created on demand so a run that is expected to exit early leaves no rejected promise behind.
  const firstLine = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => stdout.includes("\n") && resolve(stdout.split("\n")[0]!);
      check();
      child.stdout.on("data", check);
      child.on("exit", () => reject(new Error(`exited early: ${stderr}`)));
    });
  return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
}

describe("sealdeck sandbox", () => {
  it("serves clusters until SIGTERM, with the kubeconfig where --kubeconfig says", async () => {
    const kubeconfig = join(dir, "out", "sandbox.kubeconfig");
    const sandbox = run([
      "--quiet",
      "--no-demo",
      "--no-gitops",
      "--clusters",
      "2",
      "--kubeconfig",
      kubeconfig,
    ]);
    expect(await sandbox.firstLine()).toBe(kubeconfig);
    expect((await stat(kubeconfig)).mode & 0o777).toBe(0o600);
    expect(await kubectlOk(kubeconfig, ["config", "get-contexts", "-o", "name"])).toBe(
      "sandbox\nsandbox-2\n",
    );
    expect(
      await kubectlOk(kubeconfig, ["--context", "sandbox-2", "get", "ns", "kube-system", "-o", "name"]),
    ).toBe("namespace/kube-system\n");
    sandbox.child.kill("SIGTERM");
    expect(await sandbox.exited).toBe(0);
  });

  it("rejects bad options with exit code 2", async () => {
    const sandbox = run(["--clusters", "zero"]);
    expect(await sandbox.exited).toBe(2);
    expect(sandbox.output().stderr).toMatch(/--clusters must be an integer/);
  });
});
