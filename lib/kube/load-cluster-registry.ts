import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { parse } from "yaml";
import { z } from "zod";
import { isSandboxCluster } from "./is-sandbox-cluster";

/** One cluster the dashboard connects to: a kubeconfig context, or the in-cluster service account. */
export type ClusterEntry = {
  /** The context name; also the cluster's id in URLs and records. */
  name: string;
  server: string;
  sandbox: boolean;
  /** Builds a KubeConfig for this context; re-reads the file so rotated tokens and CAs are picked up. */
  load(): KubeConfig;
};

const kubeEnvSchema = z.object({
  KUBECONFIG: z.string().optional(),
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  HOME: z.string().optional(),
});

const kubeconfigFileSchema = z.object({
  clusters: z
    .array(
      z.object({
        name: z.string(),
        cluster: z.object({ extensions: z.array(z.object({ name: z.string() })).nullish() }).passthrough(),
      }),
    )
    .nullish(),
  contexts: z
    .array(z.object({ name: z.string(), context: z.object({ cluster: z.string() }).passthrough() }))
    .nullish(),
});

function kubeconfigFiles(env: z.infer<typeof kubeEnvSchema>): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((file) => file && existsSync(file));
  const fallback = join(env.HOME ?? homedir(), ".kube", "config");
  return existsSync(fallback) ? [fallback] : [];
}

function extensionNamesByCluster(files: string[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const file of files) {
    const parsed = kubeconfigFileSchema.safeParse(parse(readFileSync(file, "utf8")));
    if (!parsed.success) continue;
    for (const cluster of parsed.data.clusters ?? []) {
      if (!names.has(cluster.name))
        names.set(
          cluster.name,
          (cluster.cluster.extensions ?? []).map((e) => e.name),
        );
    }
  }
  return names;
}

function loadContext(files: string[], context: string): KubeConfig {
  const kc = new KubeConfig();
  // loadFromDefault merges every file of KUBECONFIG the way kubectl does.
  if (files.length === 1) kc.loadFromFile(files[0]!);
  else {
    for (const file of files) {
      const part = new KubeConfig();
      part.loadFromFile(file);
      kc.mergeConfig(part, true);
    }
  }
  kc.setCurrentContext(context);
  return kc;
}

/**
 * Every cluster Sealdeck can see: each context of KUBECONFIG (or ~/.kube/config), else the in-cluster
 * service account when running in a pod, else none (the UI shows "no clusters configured").
 */
export function loadClusterRegistry(
  rawEnv: Record<string, string | undefined> = process.env,
): ClusterEntry[] {
  const env = kubeEnvSchema.parse(rawEnv);
  const files = kubeconfigFiles(env);
  if (files.length === 0) {
    if (!env.KUBERNETES_SERVICE_HOST) return [];
    const inCluster = new KubeConfig();
    inCluster.loadFromCluster();
    const server = inCluster.getCurrentCluster()?.server ?? "";
    return [
      { name: "in-cluster", server, sandbox: false, load: () => (inCluster.loadFromCluster(), inCluster) },
    ];
  }
  const all = loadContext(files, "");
  const extensions = extensionNamesByCluster(files);
  return all.getContexts().map((context) => {
    const cluster = all.getCluster(context.cluster);
    return {
      name: context.name,
      server: cluster?.server ?? "",
      sandbox: isSandboxCluster({
        contextName: context.name,
        clusterName: context.cluster,
        extensionNames: extensions.get(context.cluster) ?? [],
      }),
      load: () => loadContext(files, context.name),
    };
  });
}
