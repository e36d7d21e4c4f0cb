// A multi-cluster estate for the benchmarks at scale (issue #20): `sealdeck sandbox --clusters N` in a
// child process with the generated estate split evenly over the clusters, and the inventory's first
// sync against it. Shared by the server-side and the browser benchmarks, so both measure one estate.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Inventory } from "../lib/kube/inventory";
import { loadClusterRegistry } from "../lib/kube/load-cluster-registry";

export type LargeEstate = {
  kubeconfig: string;
  /** The kubeconfig's contexts: `sandbox`, `sandbox-2`, … */
  contexts: string[];
  /** SealedSecrets + ExternalSecrets over all clusters (the generator makes 2 SealedSecrets per ExternalSecret). */
  records: number;
  /** SealedSecrets generated per cluster (`--objects`). */
  objectsPerCluster: number;
  /** Stops the sandbox child and removes its kubeconfig. */
  stop(): Promise<void>;
};

/** The `--objects` per cluster that gives `records` SealedSecrets + ExternalSecrets over `clusters`. */
export function objectsPerCluster(records: number, clusters: number): number {
  return Math.max(1, Math.round((records / clusters) * (2 / 3)));
}

/**
 * Starts `clusters` sandbox clusters holding `records` SealedSecrets and ExternalSecrets between them
 * (no demo estate, no GitOps sync); resolves once every API is serving.
 */
export async function startLargeEstate(options: { clusters: number; records: number }): Promise<LargeEstate> {
  const dir = await mkdtemp(join(tmpdir(), "sealdeck-large-estate-"));
  const kubeconfig = join(dir, "kubeconfig");
  const perCluster = objectsPerCluster(options.records, options.clusters);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "bin/sealdeck.js",
      "sandbox",
      "--clusters",
      String(options.clusters),
      "--objects",
      String(perCluster),
      "--kubeconfig",
      kubeconfig,
      "--no-gitops",
      "--no-demo",
      "--quiet",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    // --quiet prints the kubeconfig path once the estate is loaded and every API is serving.
    await new Promise<void>((resolve, reject) => {
      createInterface(child.stdout!).once("line", () => resolve());
      child.once("exit", (code) => reject(new Error(`sandbox exited early (${code})`)));
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    kubeconfig,
    contexts: Array.from({ length: options.clusters }, (_, i) => (i === 0 ? "sandbox" : `sandbox-${i + 1}`)),
    records: perCluster * options.clusters + Math.floor(perCluster / 2) * options.clusters,
    objectsPerCluster: perCluster,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The inventory of every context of the estate, started and awaited to its first full sync. */
export async function syncInventory(
  kubeconfig: string,
  timeoutMs = 900_000,
): Promise<{ inventory: Inventory; firstSyncMs: number }> {
  const started = performance.now();
  const inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: kubeconfig }));
  inventory.start();
  await inventory.ready(timeoutMs);
  return { inventory, firstSyncMs: performance.now() - started };
}

/** `kubectl get sealedsecrets,externalsecrets -A -o json`, one process per context, all at once. */
export async function timeKubectlPerCluster(kubeconfig: string, contexts: string[]): Promise<number> {
  const started = performance.now();
  await Promise.all(
    contexts.map(
      (context) =>
        new Promise<void>((resolve, reject) =>
          execFile(
            "kubectl",
            [
              "--kubeconfig",
              kubeconfig,
              "--context",
              context,
              "get",
              "sealedsecrets,externalsecrets",
              "-A",
              "-o",
              "json",
            ],
            { maxBuffer: 1024 * 1024 * 1024 },
            (error) => (error ? reject(error) : resolve()),
          ),
        ),
    ),
  );
  return performance.now() - started;
}

/** The 1-minute load average, for the notes of rows measured on a shared machine. */
export function loadNote(): string {
  return `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;
}

/**
 * A full collection before an RSS reading, so the figure is what the caches keep rather than garbage
 * left by whatever ran before in this process (`npm run bench` runs every benchmark in one process).
 * V8 exposes gc() only behind a flag; setting it at run time and reading gc from a fresh context
 * avoids asking every caller to pass --expose-gc.
 */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
}
