import "server-only";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultPolicy } from "./auth/default-policy";
import { loadPolicyFile } from "./auth/policy";
import type { RunningCluster } from "./cluster/start-cluster";
import { startCluster } from "./cluster/start-cluster";
import type { ExternalSecretsController } from "./controllers/external-secrets/start-external-secrets-controller";
import { startExternalSecretsController } from "./controllers/external-secrets/start-external-secrets-controller";
import type { SealedSecretsController } from "./controllers/sealed-secrets/start-sealed-secrets-controller";
import { generateSealingKey, type SealingKeyPair } from "./controllers/sealed-secrets/generate-sealing-key";
import { startSealedSecretsController } from "./controllers/sealed-secrets/start-sealed-secrets-controller";
import { startWorkloadController } from "./controllers/start-workload-controller";
import { generateEstate } from "./load/generate-estate";
import { applyManifests, readManifests } from "./load/load-manifests";
import { buildKubeconfig } from "./kubeconfig/build-kubeconfig";
import { generateCertificates } from "./server/generate-certificates";
import type { KubeObject } from "./server/kube-object";
import { commitDemoEstate, withDemoMetadata } from "./gitops/commit-demo-estate";
import { startGitopsSync } from "./gitops/start-gitops-sync";
import { demoExternalSecrets, demoSealedSecrets } from "./seed/demo-history";

export type StartSandboxOptions = {
  /** First cluster's port; 0 (the default) picks free ports. Cluster i listens on port + i when set. */
  port?: number;
  host?: "127.0.0.1";
  /** Directories of YAML manifests applied after the built-in demo estate (e.g. a sealing-key backup). */
  seedDirs?: string[];
  /** Leaves out the built-in demo estate (sandbox/seed), for tests that want a near-empty cluster. */
  noDemo?: boolean;
  kubeconfigPath?: string;
  /** Generates this many SealedSecrets (and half as many ExternalSecrets) over objects/20 namespaces. */
  objects?: number;
  clusters?: number;
  /**
   * A local git repository whose `main` branch is applied like an Argo CD Application: all of it to a
   * single cluster; with several clusters, its folder `<cluster name>/` to each.
   */
  gitopsRepo?: string;
  policyFile?: string;
  quiet?: boolean;
  /** Watch BOOKMARK period; tests shorten it. */
  bookmarkIntervalMs?: number;
  /** GitOps poll period. */
  gitopsPollMs?: number;
  /**
   * Keeps each cluster's own sealing key in `<keyDir>/<cluster>.json` and reuses it at the next start,
   * so what was sealed for the sandbox still unseals after a restart. Absent: a fresh key every start.
   */
  keyDir?: string;
};

export type SandboxCluster = RunningCluster & {
  sealedSecrets: SealedSecretsController;
  externalSecrets: ExternalSecretsController;
  /** Waits until the controller emulations have nothing queued. */
  settle(): Promise<void>;
  /** Compacts history and drops open watches: clients resume with an old resourceVersion and get 410. */
  expireWatches(): void;
};

export type Sandbox = {
  kubeconfigPath: string;
  kubeconfig: string;
  contexts: string[];
  url: string;
  clusters: SandboxCluster[];
  /** `watchGraceMs`: terminate gracefully, as an API server given SIGTERM (see RunningCluster.stop). */
  stop(options?: { watchGraceMs?: number }): Promise<void>;
};

/** The cluster's key from `dir`, made and written (mode 0600) on first use. */
async function keptSealingKey(dir: string, cluster: string): Promise<SealingKeyPair> {
  const file = join(dir, `${cluster}.json`);
  try {
    const kept = JSON.parse(await readFile(file, "utf8")) as Partial<SealingKeyPair>;
    if (typeof kept.certPem === "string" && typeof kept.keyPem === "string")
      return { certPem: kept.certPem, keyPem: kept.keyPem };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = await generateSealingKey();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(key), { mode: 0o600 });
  return key;
}

export const demoSeedDir = fileURLToPath(new URL("./seed", import.meta.url));

const fromGit = new Set([
  ...demoSealedSecrets.map((s) => `SealedSecret|${s.namespace}|${s.name}`),
  ...demoExternalSecrets.map((e) => `${e.kind}|${e.namespace ?? ""}|${e.name}`),
]);

/**
 * The seed without what the GitOps repository holds for this cluster: the sync applies that from Git.
 * An object with a `status` in the seed stays (the stale demo ExternalSecret): the sync adopts it and
 * the state no controller would reach by itself is kept.
 */
function seedBesideGit(seed: KubeObject[]): KubeObject[] {
  return seed.filter(
    (o) =>
      o.status !== undefined ||
      !fromGit.has(`${o.kind ?? ""}|${o.metadata.namespace ?? ""}|${o.metadata.name ?? ""}`),
  );
}

async function startOne(
  name: string,
  port: number,
  options: StartSandboxOptions,
  shared: {
    policy: Awaited<ReturnType<typeof loadPolicyFile>>;
    certificates: Awaited<ReturnType<typeof generateCertificates>>;
    seed: KubeObject[];
  },
  log: (line: string) => void,
): Promise<SandboxCluster> {
  const cluster = await startCluster({
    name,
    host: options.host ?? "127.0.0.1",
    port,
    policy: shared.policy,
    certificates: shared.certificates,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
  });
  try {
    applyManifests(cluster.context.store, shared.seed);
    if (options.objects) generateEstate(cluster.context.store, options.objects);
    // The seed was in etcd before the server started: its objects bring no bookmarks.
    cluster.context.store.restartWatchCache();
    const stopWorkloads = startWorkloadController(cluster.context);
    const ownKey = options.keyDir ? await keptSealingKey(options.keyDir, name) : undefined;
    const sealedSecrets = await startSealedSecretsController(cluster.context, log, ownKey);
    const externalSecrets = startExternalSecretsController(cluster.context, log);
    cluster.onStop(() => {
      stopWorkloads();
      sealedSecrets.stop();
      externalSecrets.stop();
    });
    return {
      ...cluster,
      sealedSecrets,
      externalSecrets,
      async settle() {
        // Each controller's writes can queue work for the other; two quiet rounds in a row means done.
        for (let round = 0; round < 2; round++) {
          await new Promise((resolve) => setImmediate(resolve));
          await Promise.all([sealedSecrets.idle(), externalSecrets.idle()]);
        }
      },
      expireWatches() {
        cluster.context.store.expireHistory();
        for (const response of cluster.context.openWatches) response.end();
      },
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** Starts the sandbox clusters in-process and writes their kubeconfig; `stop()` shuts everything down. */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const log = options.quiet ? () => {} : (line: string) => console.error(`[sandbox] ${line}`);
  const count = Math.max(1, options.clusters ?? 1);
  const policy = options.policyFile ? await loadPolicyFile(options.policyFile) : defaultPolicy();
  const certificates = await generateCertificates();
  const demo = options.noDemo ? [] : withDemoMetadata(await readManifests(demoSeedDir));
  const extra: KubeObject[] = [];
  for (const dir of options.seedDirs ?? []) extra.push(...(await readManifests(dir)));
  const names = Array.from({ length: count }, (_, i) => (i === 0 ? "sandbox" : `sandbox-${i + 1}`));
  // Git is the truth: the demo estate's secrets are committed to the GitOps repository (a backdated
  // history, once per cluster folder) and applied from there; the rest of the seed is loaded directly.
  const inGit =
    options.gitopsRepo && !options.noDemo
      ? await commitDemoEstate({ repo: options.gitopsRepo, clusters: names, seed: demo, log })
      : new Set<string>();
  const clusters: SandboxCluster[] = [];
  const stoppers: (() => Promise<void> | void)[] = [];
  try {
    for (const [i, name] of names.entries()) {
      clusters.push(
        await startOne(
          name,
          options.port ? options.port + i : 0,
          options,
          { policy, certificates, seed: [...(inGit.has(name) ? seedBesideGit(demo) : demo), ...extra] },
          log,
        ),
      );
    }
    // One cluster applies the whole repository; several apply a folder each, named after the cluster
    // (the default path template `{cluster}/{namespace}/{name}.sealedsecret.yaml` writes there).
    if (options.gitopsRepo)
      for (const cluster of clusters)
        stoppers.push(
          await startGitopsSync(cluster.context, {
            repo: options.gitopsRepo,
            pollMs: options.gitopsPollMs ?? 3000,
            log,
            path: count > 1 ? cluster.name : ".",
          }),
        );
  } catch (error) {
    await Promise.all(clusters.map((c) => c.stop()));
    throw error;
  }
  const adminUser =
    policy.users.find((u) => u.groups.includes("system:masters"))?.name ?? policy.users[0]?.name ?? "";
  const kubeconfig = buildKubeconfig(clusters, certificates.caPem, policy, adminUser);
  let kubeconfigPath = options.kubeconfigPath;
  let tempDir: string | undefined;
  if (!kubeconfigPath) {
    tempDir = await mkdtemp(join(tmpdir(), "sealdeck-sandbox-"));
    kubeconfigPath = join(tempDir, "kubeconfig");
  } else {
    await mkdir(dirname(kubeconfigPath), { recursive: true });
  }
  // The file holds bearer tokens: owner-only, like ~/.kube/config.
  await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
  await chmod(kubeconfigPath, 0o600);
  return {
    kubeconfigPath,
    kubeconfig,
    contexts: clusters.map((c) => c.name),
    url: clusters[0]!.url,
    clusters,
    async stop(stopOptions) {
      for (const stop of stoppers) await stop();
      await Promise.all(clusters.map((c) => c.stop(stopOptions)));
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    },
  };
}
