import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { SecretDetailResponse } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE, type SecretKind, secretRecordId } from "@/lib/validations/secret-record";
import { getInventory } from "./inventory";

export type SecretAddress = { cluster: string; namespace: string; kind: SecretKind; name: string };

const SETTLE_TIMEOUT_MS = 10_000;

/**
 * One secret's record from the inventory (no cluster call: its Kubernetes Events are read apart, by
 * get-secret-events.ts); AppError not_found when it does not exist. Waits for the secret's own cluster
 * to have listed once, not for every cluster: one slow cluster of ten must not hold this page.
 */
export async function getSecretDetail(address: SecretAddress): Promise<SecretDetailResponse> {
  const inventory = getInventory();
  const cluster = inventory.cluster(address.cluster);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (cluster && !cluster.settled() && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
  // Pending changes first, so a page opened right after a change shows it.
  inventory.flush();
  const resourceVersion = inventory.revision;
  const namespace = address.namespace === CLUSTER_SCOPED_NAMESPACE ? null : address.namespace;
  const record = inventory.get(secretRecordId(address.cluster, namespace, address.kind, address.name));
  if (!record || !cluster)
    throw new AppError(
      "not_found",
      `${address.kind} ${address.namespace}/${address.name} was not found on cluster ${address.cluster}`,
    );
  return { record, resourceVersion, cluster: cluster.status() };
}
