import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Env } from "@/lib/config/env";
import { startSandbox } from "@/sandbox/start-sandbox";

const run = promisify(execFile);

export type OpenClusters = {
  /** Variables for the Next.js child: KUBECONFIG and SEALDECK_SANDBOX when the sandbox runs. */
  env: Record<string, string>;
  description: string;
  stop(): Promise<void>;
};

/** The user's kubeconfig when there is one; the sandbox otherwise, or when SEALDECK_SANDBOX=1. */
export function shouldUseSandbox(
  env: Env,
  environment: Record<string, string | undefined> = process.env,
): boolean {
  if (env.SEALDECK_SANDBOX === "1") return true;
  if (environment.KUBECONFIG) return false;
  if (environment.KUBERNETES_SERVICE_HOST) return false;
  return !existsSync(join(homedir(), ".kube", "config"));
}

/** The local repository the sandbox's GitOps emulation applies, created with an empty `main` once. */
async function ensureGitopsRepo(dir: string) {
  if (existsSync(join(dir, ".git"))) return;
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "README.md"),
    "# Sandbox GitOps repository\n\nSealdeck's sandbox applies the `main` branch of this repository to the sandbox cluster,\nlike an Argo CD Application with automated sync, prune and self-heal.\n",
  );
  const git = (...args: string[]) =>
    run("git", ["-c", "user.name=Sealdeck", "-c", "user.email=sealdeck@localhost", ...args], { cwd: dir });
  await git("init", "--quiet", "--initial-branch=main");
  await git("add", "README.md");
  await git("commit", "--quiet", "-m", "Start the sandbox GitOps repository");
}

export async function openClusters(env: Env, log: (line: string) => void): Promise<OpenClusters> {
  if (!shouldUseSandbox(env)) {
    return { env: {}, description: "clusters from your kubeconfig", stop: async () => undefined };
  }
  const dataDir = resolve(env.SEALDECK_DATA_DIR);
  const gitopsRepo = join(dataDir, "gitops");
  await ensureGitopsRepo(gitopsRepo);
  const count = env.SEALDECK_SANDBOX_CLUSTERS;
  log(
    `starting ${count === 1 ? "the sandbox cluster" : `${count} sandbox clusters`} (no kubeconfig found, or SEALDECK_SANDBOX=1)`,
  );
  // Two by default, so sealing for several clusters (each with its own key) works out of the box.
  const sandbox = await startSandbox({
    kubeconfigPath: join(dataDir, "sandbox", "kubeconfig"),
    // Each cluster keeps its sealing key, so secrets merged into .data/gitops unseal after a restart.
    keyDir: join(dataDir, "sandbox", "keys"),
    gitopsRepo,
    clusters: count,
    quiet: true,
  });
  const clusters = sandbox.contexts.join(", ");
  return {
    env: { KUBECONFIG: sandbox.kubeconfigPath, SEALDECK_SANDBOX: "1" },
    description: `the sandbox cluster${count === 1 ? "" : "s"} ${clusters} (kubeconfig ${sandbox.kubeconfigPath}, GitOps repository ${gitopsRepo}${count === 1 ? "" : ", one folder per cluster"})`,
    stop: () => sandbox.stop(),
  };
}
