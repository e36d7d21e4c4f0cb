import "server-only";
import type { Principal } from "@/lib/auth/principal";
import type { ClusterSnapshot } from "@/lib/kube/build-secret-records";
import { filterByKubeRbac } from "@/lib/kube/filter-by-kube-rbac";
import { canSeeRecord, filterVisibleRecords } from "@/lib/kube/filter-visible-records";
import { getInventory } from "@/lib/kube/inventory";
import { kubeIdentityFor } from "@/lib/kube/kube-identity";
import { compareIncidents, type StoreIncident } from "@/lib/validations/store-incidents";
import { findStoreIncidents } from "./find-store-incidents";

/** A cluster's cached objects: the inventory's ClusterCache, or anything shaped like it (the CLI's). */
export type StoreSnapshotSource = { entry: { name: string }; snapshot(): ClusterSnapshot };

export type ListStoreIncidentsInput = {
  /** The signed-in user; null: the CLI, reading with its own kubeconfig's rights. */
  principal: Principal | null;
  /** Only this cluster. */
  cluster?: string;
  /** Where to read from; default: the process's inventory (getInventory().clusters). */
  clusters?: readonly StoreSnapshotSource[];
};

/**
 * The open "store unreachable" incidents, for the Recovery page, its route and `sealdeck recovery`:
 * every SecretStore or ClusterSecretStore not Ready, with its dependent ExternalSecrets in deadline
 * order. With a principal, only what that user may see: the dependants in their namespaces (and,
 * under impersonation, what the cluster's RBAC lets them list); a store shows when they can see one of
 * its dependants, or the store's own namespace when Sealdeck reads with its own credentials.
 * `principal: null` is the CLI, which already reads with its own kubeconfig's rights.
 */
export async function listStoreIncidents(input: ListStoreIncidentsInput): Promise<StoreIncident[]> {
  const sources = input.clusters ?? getInventory().clusters;
  const all = sources
    .filter((source) => !input.cluster || source.entry.name === input.cluster)
    .flatMap((source) => findStoreIncidents(source.entry.name, source.snapshot()))
    .sort(compareIncidents);
  const { principal } = input;
  if (!principal || all.length === 0) return all;

  const dependants = all.flatMap((incident) =>
    incident.dependants.map((d) => ({ ...d, kind: "ExternalSecret" as const })),
  );
  const visible = new Set(
    (await filterByKubeRbac(filterVisibleRecords(dependants, principal), principal)).map((d) => d.id),
  );
  // Under impersonation a store of its own is not shown by Sealdeck's grants alone: fail closed.
  const ownCredentials = kubeIdentityFor(principal) === null;
  return (
    all
      .map((incident) => ({ ...incident, dependants: incident.dependants.filter((d) => visible.has(d.id)) }))
      .filter(
        (incident) =>
          incident.dependants.length > 0 ||
          (ownCredentials && canSeeRecord(principal, incident.cluster, incident.store.namespace ?? null)),
      )
      // What is hidden must not decide the order either.
      .sort(compareIncidents)
  );
}
