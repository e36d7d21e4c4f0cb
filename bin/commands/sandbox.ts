// `sealdeck sandbox`: the local Kubernetes API with the sealed-secrets, ESO and GitOps emulations, in
// the foreground until Ctrl-C or SIGTERM.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Command } from "../command";
import { UsageError } from "../command";

// Open watches are kept this long after SIGTERM (or until their clients leave), then ended.
const WATCH_GRACE_MS = 5_000;

const usage = `
Usage: sealdeck sandbox [options]

Runs a local Kubernetes API server (HTTPS on 127.0.0.1) with a demo estate and emulations of the
sealed-secrets controller, External Secrets Operator and an Argo CD-style GitOps sync. State is kept
in memory; Ctrl-C stops it.

Options:
  --port P           port of the first cluster (default: a free port; cluster i uses P+i)
  --seed DIR         also load the YAML manifests in DIR (repeatable), e.g. a sealing-key backup
  --kubeconfig OUT   where to write the kubeconfig (default: .data/sandbox/kubeconfig)
  --objects N        generate N SealedSecrets and N/2 ExternalSecrets over N/20 namespaces
  --clusters N       serve N clusters: contexts sandbox, sandbox-2, ...
  --gitops DIR       git repository whose main branch is applied (default: .data/gitops)
  --no-gitops        do not run the GitOps emulation
  --no-demo          leave out the built-in demo estate
  --policy FILE      users, tokens and access rules (YAML); default: built-in demo users
  --quiet            print only the kubeconfig path
`;

function positiveInteger(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return parsed;
}

const command: Command = {
  summary: "Run the local sandbox cluster (Kubernetes API + controller emulations)",
  usage,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          port: { type: "string" },
          seed: { type: "string", multiple: true },
          kubeconfig: { type: "string" },
          objects: { type: "string" },
          clusters: { type: "string" },
          gitops: { type: "string" },
          "no-gitops": { type: "boolean" },
          "no-demo": { type: "boolean" },
          policy: { type: "string" },
          quiet: { type: "boolean" },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { values } = parsed;
    const port = positiveInteger("port", values.port, 0);
    if (port !== undefined && port > 65_535) throw new UsageError("--port must be at most 65535");
    // Loaded lazily so `sealdeck --help` stays fast.
    const { startSandbox } = await import("../../sandbox/start-sandbox");
    const sandbox = await startSandbox({
      port,
      seedDirs: (values.seed ?? []).map((dir) => resolve(dir)),
      kubeconfigPath: resolve(values.kubeconfig ?? ".data/sandbox/kubeconfig"),
      objects: positiveInteger("objects", values.objects, 0),
      clusters: positiveInteger("clusters", values.clusters, 1),
      gitopsRepo: values["no-gitops"] ? undefined : resolve(values.gitops ?? ".data/gitops"),
      noDemo: values["no-demo"] ?? false,
      policyFile: values.policy ? resolve(values.policy) : undefined,
      quiet: values.quiet ?? false,
    });
    if (values.quiet) console.log(sandbox.kubeconfigPath);
    else {
      console.log(
        [
          `Sandbox running: ${sandbox.clusters.map((c) => `${c.name} ${c.url}`).join(", ")}`,
          `Kubeconfig: ${sandbox.kubeconfigPath} (contexts: ${sandbox.contexts.join(", ")})`,
          "",
          `  export KUBECONFIG=${sandbox.kubeconfigPath}`,
          "  kubectl get sealedsecrets,externalsecrets -A",
          "  kubectl auth can-i --list -n production --as developer",
          "",
          "Ctrl-C stops it.",
        ].join("\n"),
      );
    }
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      process.once("SIGHUP", stop);
    });
    // As an API server does on SIGTERM: open watches get a few seconds before they are ended.
    await sandbox.stop({ watchGraceMs: WATCH_GRACE_MS });
    if (!values.quiet) console.log("Sandbox stopped.");
    return 0;
  },
};

export default command;
