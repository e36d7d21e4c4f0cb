import "server-only";
import { getEnv } from "@/lib/config/env";
import type { Inventory } from "@/lib/kube/inventory";

/** Where a campaign secret's SealedSecret stands in its cluster right now. */
export type Presence = "absent" | "present" | "unknown";

/**
 * Which campaign secrets count as removed (deleted from Git and synced): absent now, and absent since at
 * least `afterMs` before `now`. "Since" is the secret's `absent_since`, which each closer pass records
 * (see record-campaign-absences.ts), so a SealedSecret a GitOps tool deletes and recreates is not
 * taken for removed in the moment it is gone.
 */
export type RemovedCheck = {
  presence: (cluster: string, namespace: string, name: string) => Presence;
  afterMs: number;
  now: Date;
};

/**
 * Known only when the cluster is synced and its SealedSecret list is live: during a first sync, an outage
 * or a forbidden list, "not in the inventory" says nothing. The kind's own objects are checked too, so a
 * record not yet rebuilt after a list does not count. The name set is built lazily, once per cluster.
 */
export function removedFromInventory(
  inventory: Pick<Inventory, "cluster">,
  options: { afterMs?: number; now?: Date } = {},
): RemovedCheck {
  const present = new Map<string, ReadonlySet<string> | null>();
  return {
    afterMs: options.afterMs ?? getEnv().SEALDECK_CAMPAIGN_REMOVED_AFTER_SECONDS * 1000,
    now: options.now ?? new Date(),
    presence(cluster, namespace, name) {
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
      if (!names) return "unknown";
      return names.has(`${namespace}/${name}`) ? "present" : "absent";
    },
  };
}

/** Removed: no record, absent now, and absent since at least `afterMs` ago. */
export function isRemoved(
  removed: RemovedCheck | undefined,
  cluster: string,
  secret: { namespace: string; name: string; absentSince?: Date | null },
): boolean {
  if (!removed || !secret.absentSince) return false;
  return (
    removed.now.getTime() - secret.absentSince.getTime() >= removed.afterMs &&
    removed.presence(cluster, secret.namespace, secret.name) === "absent"
  );
}
