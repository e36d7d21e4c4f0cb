import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { SecretDetailResponse } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE, type SecretKind, secretRecordId } from "@/lib/validations/secret-record";
import { getInventory } from "./inventory";
import { listObjectEvents } from "./list-object-events";

/** One secret's record plus its recent Kubernetes Events; AppError not_found when it does not exist. */
export async function getSecretDetail(address: {
  cluster: string;
  namespace: string;
  kind: SecretKind;
  name: string;
}): Promise<SecretDetailResponse> {
  const inventory = getInventory();
  await inventory.ready();
  const resourceVersion = inventory.revision;
  const namespace = address.namespace === CLUSTER_SCOPED_NAMESPACE ? null : address.namespace;
  const record = inventory.get(secretRecordId(address.cluster, namespace, address.kind, address.name));
  const cluster = inventory.cluster(address.cluster);
  if (!record || !cluster)
    throw new AppError(
      "not_found",
      `${address.kind} ${address.namespace}/${address.name} was not found on cluster ${address.cluster}`,
    );
  let events: SecretDetailResponse["events"] = [];
  let eventsError: string | null = null;
  try {
    events = await listObjectEvents(cluster.loadConfig(), {
      cluster: address.cluster,
      namespace,
      kind: address.kind,
      name: address.name,
    });
  } catch (error) {
    // Events are a nice-to-have next to the record; an unreachable cluster or RBAC must not hide it.
    eventsError = error instanceof Error ? error.message : String(error);
  }
  return { record, events, eventsError, resourceVersion, cluster: cluster.status() };
}
