import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseEnv } from "@/lib/config/env";
import { createPrismaClient } from "@/lib/db/prisma";
import { Inventory } from "@/lib/kube/inventory";
import { type ClusterEntry, loadClusterRegistry } from "@/lib/kube/load-cluster-registry";
import { CliError } from "../command";
import { openDatabase } from "./open-database";

/** How long a one-shot command waits for every cluster's first list before reporting what it has. */
const FIRST_SYNC_MS = 30_000;

export type CliInventory = {
  /** SEALDECK_DATA_DIR, absolute. */
  dataDir: string;
  clusters: ClusterEntry[];
  prisma: ReturnType<typeof createPrismaClient>;
  /** Started and past its first sync; `close()` stops it. */
  inventory: Inventory;
  /** Stops the inventory, then disconnects and stops the database; call it once, in a `finally`. */
  close(): Promise<void>;
};

/** The user's kubeconfig; without one, the sandbox's when the dev launcher wrote it. */
export function pickSandboxKubeconfig(dataDir: string): void {
  if (process.env.KUBECONFIG || process.env.KUBERNETES_SERVICE_HOST) return;
  if (existsSync(join(homedir(), ".kube", "config"))) return;
  const sandbox = join(dataDir, "sandbox", "kubeconfig");
  if (existsSync(sandbox)) process.env.KUBECONFIG = sandbox;
}

/**
 * For CLI commands that read the estate once, without watching: the kubeconfig's clusters (only
 * `cluster` when given), the database, and an inventory that has listed every cluster once (or timed out).
 */
export async function openCliInventory(options: { cluster?: string }): Promise<CliInventory> {
  const env = parseEnv(process.env);
  const dataDir = resolve(env.SEALDECK_DATA_DIR);
  pickSandboxKubeconfig(dataDir);
  const entries = loadClusterRegistry();
  const clusters = options.cluster ? entries.filter((entry) => entry.name === options.cluster) : entries;
  if (clusters.length === 0)
    throw new CliError(
      options.cluster
        ? `no cluster named "${options.cluster}" in the kubeconfig`
        : "no cluster: set KUBECONFIG (or start the sandbox with `sealdeck dev`)",
    );

  const database = await openDatabase(env, (line) => console.error(line));
  const prisma = createPrismaClient(database.url);
  const inventory = new Inventory(clusters);
  const close = async () => {
    inventory.stop();
    await prisma.$disconnect();
    await database.stop();
  };
  try {
    inventory.start();
    await inventory.ready(FIRST_SYNC_MS);
  } catch (error) {
    await close();
    throw error;
  }
  return { dataDir, clusters, prisma, inventory, close };
}
