import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { SecretEventsResponse } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";
import type { SecretAddress } from "./get-secret-detail";
import { getInventory } from "./inventory";
import { listObjectEvents } from "./list-object-events";

/**
 * A secret's recent Kubernetes Events, read from its cluster on demand. Apart from the record: a
 * cluster call can take seconds on a busy API server, and the page shows the record without it.
 */
export async function getSecretEvents(address: SecretAddress): Promise<SecretEventsResponse> {
  const cluster = getInventory().cluster(address.cluster);
  if (!cluster) throw new AppError("not_found", `cluster ${address.cluster} is not configured`);
  try {
    const events = await listObjectEvents(cluster.loadConfig(), {
      cluster: address.cluster,
      namespace: address.namespace === CLUSTER_SCOPED_NAMESPACE ? null : address.namespace,
      kind: address.kind,
      name: address.name,
    });
    return { events, eventsError: null };
  } catch (error) {
    // Events are a nice-to-have next to the record; an unreachable cluster or RBAC must not hide it.
    return { events: [], eventsError: error instanceof Error ? error.message : String(error) };
  }
}
