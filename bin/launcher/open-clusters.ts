import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Env } from "@/lib/config/env";

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

export async function openClusters(env: Env, log: (line: string) => void): Promise<OpenClusters> {
  if (!shouldUseSandbox(env)) {
    return { env: {}, description: "clusters from your kubeconfig", stop: async () => undefined };
  }
  const dataDir = resolve(env.SEALDECK_DATA_DIR);
  // Created by the sandbox on first start, holding the demo estate with a backdated history.
  const gitopsRepo = join(dataDir, "gitops");
  const count = env.SEALDECK_SANDBOX_CLUSTERS;
  log(
    `starting ${count === 1 ? "the sandbox cluster" : `${count} sandbox clusters`} (no kubeconfig found, or SEALDECK_SANDBOX=1)`,
  );
  // Loaded only here: the container image ships without the sandbox (deploy/Dockerfile).
  const { startSandbox } = await import("@/sandbox/start-sandbox");
  // Two by default, so sealing for several clusters (each with its own key) works out of the box.
  const sandbox = await startSandbox({
    kubeconfigPath: join(dataDir, "sandbox", "kubeconfig"),
    // Each cluster keeps its sealing key, so secrets merged into .data/gitops unseal after a restart.
    keyDir: join(dataDir, "sandbox", "keys"),
    gitopsRepo,
    clusters: count,
    policyFile: env.SEALDECK_SANDBOX_POLICY ? resolve(env.SEALDECK_SANDBOX_POLICY) : undefined,
    quiet: true,
  });
  const clusters = sandbox.contexts.join(", ");
  return {
    env: { KUBECONFIG: sandbox.kubeconfigPath, SEALDECK_SANDBOX: "1" },
    description: `the sandbox cluster${count === 1 ? "" : "s"} ${clusters} (kubeconfig ${sandbox.kubeconfigPath}, GitOps repository ${gitopsRepo}${count === 1 ? "" : ", one folder per cluster"})`,
    stop: () => sandbox.stop(),
  };
}
