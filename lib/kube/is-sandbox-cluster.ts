import "server-only";

/** What a kubeconfig says about one context, as far as sandbox detection needs it. */
export type KubeconfigEntryFacts = {
  contextName: string;
  clusterName: string;
  /** Names of the cluster entry's `extensions`. */
  extensionNames: string[];
};

const SANDBOX_NAME = /^sandbox(-\d+)?$/;

// The sandbox marks itself in its kubeconfig (sandbox/README.md): contexts and clusters named
// `sandbox`, `sandbox-2`, …, and an extension `sealdeck.io/sandbox` on each cluster entry. Either one
// is enough; a real cluster that someone happened to call "sandbox" would also be labelled, which is
// the safer mistake.
export function isSandboxCluster(facts: KubeconfigEntryFacts): boolean {
  if (facts.extensionNames.includes("sealdeck.io/sandbox")) return true;
  return SANDBOX_NAME.test(facts.contextName) && SANDBOX_NAME.test(facts.clusterName);
}
