import "server-only";
import type { Inventory } from "@/lib/kube/inventory";

/** Whether a campaign secret's SealedSecret is gone from its cluster (deleted from Git and synced). */
export type RemovedCheck = (cluster: string, namespace: string, name: string) => boolean;

/**
 * Gone only when the cluster is synced and its SealedSecret list is live: during a first sync, an outage
 * or a forbidden list, "not in the inventory" says nothing. The kind's own objects are checked too, so a
 * record not yet rebuilt after a list does not count. Asked only for secrets without a record, so the
 * name set is built lazily, once per cluster per call.
 */
export function removedFromInventory(inventory: Pick<Inventory, "cluster">): RemovedCheck {
  const present = new Map<string, ReadonlySet<string> | null>();
  return (cluster, namespace, name) => {
    if (!present.has(cluster)) {
      const cache = inventory.cluster(cluster);
      const live = cache?.status().state === "synced" && cache.listed("sealedSecrets");
      present.set(
        cluster,
        live
          ? new Set(
              cache
                .objects("sealedSecrets")
                .map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`),
            )
          : null,
      );
    }
    const names = present.get(cluster);
    return names ? !names.has(`${namespace}/${name}`) : false;
  };
}
