import "server-only";

import { AppError } from "@/lib/errors/app-error";
import type { ClusterCache } from "@/lib/kube/cluster-cache";
import { controllerRefOf, type SealingControllerRef } from "@/lib/kube/discover-sealing-controller";
import { getInventory } from "@/lib/kube/inventory";

export type ResolvedController = { cluster: ClusterCache; ref: SealingControllerRef };

/**
 * A cluster's sealed-secrets controller as the inventory last found it. AppError `not_found` when the
 * cluster is not configured or has no controller; `unavailable` when the cluster cannot be reached (or
 * is still connecting), so the caller can tell "nothing there" from "cannot ask".
 */
export async function resolveSealingController(clusterName: string): Promise<ResolvedController> {
  const inventory = getInventory();
  await inventory.ready();
  const cluster = inventory.cluster(clusterName);
  if (!cluster) throw new AppError("not_found", `No cluster named ${clusterName} is configured in Sealdeck.`);
  const status = cluster.status();
  const controller = status.controller;
  if (controller) return { cluster, ref: controllerRefOf(controller) };
  if (status.state === "stale")
    throw new AppError(
      "unavailable",
      `Cluster ${clusterName} is unreachable${status.message ? ` (${status.message})` : ""}; its sealing controller cannot be asked right now.`,
      { cluster: clusterName, reason: "unreachable" },
    );
  if (status.state === "connecting")
    throw new AppError(
      "unavailable",
      `Sealdeck is still connecting to cluster ${clusterName}; try again in a few seconds.`,
      { cluster: clusterName, reason: "connecting" },
    );
  throw new AppError(
    "not_found",
    `No sealed-secrets controller was found on cluster ${clusterName} (looked for kube-system/sealed-secrets-controller and services labelled app.kubernetes.io/name=sealed-secrets).`,
    { cluster: clusterName, reason: "controller-missing" },
  );
}

/** The message of a failed request to a cluster, for users: AppErrors as they are, socket errors named. */
export function describeClusterFailure(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return `the API server did not answer (${code})`;
  return error instanceof Error ? error.message : String(error);
}
