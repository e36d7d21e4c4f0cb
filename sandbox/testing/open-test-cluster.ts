import { randomBytes } from "node:crypto";
import type { Sandbox, StartSandboxOptions } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { kubectlOk } from "./run-kubectl";

/**
 * The cluster a contract test runs against: `SEALDECK_TEST_KUBECONFIG` (and `SEALDECK_TEST_CONTEXT`,
 * else that file's current context) when set, e.g. a kind, k3d or real test cluster; otherwise a
 * sandbox started for the test file. The same assertions must hold on both. Each file gets a fresh
 * namespace for its objects, deleted by stop(); the kubeconfig's user needs to create and delete
 * namespaces, Secrets in them, list and watch Secrets cluster-wide, and impersonate (for the
 * impersonation checks): a cluster-admin of a disposable test cluster.
 */
export type TestCluster = {
  kubeconfigPath: string;
  /** The kubeconfig context (the cluster's name in Sealdeck). */
  context: string;
  /** The sandbox, when running against it; null against SEALDECK_TEST_KUBECONFIG. */
  sandbox: Sandbox | null;
  namespace: string;
  /** kubectl against this cluster and context; fails on a non-zero exit. */
  kubectl(args: string[], stdin?: string): Promise<string>;
  stop(): Promise<void>;
};

export async function openTestCluster(sandboxOptions: StartSandboxOptions = {}): Promise<TestCluster> {
  const external = process.env.SEALDECK_TEST_KUBECONFIG;
  const sandbox = external ? null : await startSandbox({ noDemo: true, quiet: true, ...sandboxOptions });
  const kubeconfigPath = external ?? sandbox!.kubeconfigPath;
  const given = process.env.SEALDECK_TEST_CONTEXT;
  const context =
    given ??
    (sandbox
      ? sandbox.contexts[0]!
      : (await kubectlOk(kubeconfigPath, ["config", "current-context"])).trim());
  const kubectl = (args: string[], stdin?: string) =>
    kubectlOk(kubeconfigPath, ["--context", context, ...args], stdin);
  const namespace = `sealdeck-contract-${randomBytes(4).toString("hex")}`;
  await kubectl(["create", "namespace", namespace]);
  return {
    kubeconfigPath,
    context,
    sandbox,
    namespace,
    kubectl,
    async stop() {
      try {
        await kubectl(["delete", "namespace", namespace, "--wait=false"]);
      } finally {
        await sandbox?.stop();
      }
    },
  };
}
