import "server-only";
import { authorize } from "@/lib/auth/authorize";
import { permissionScope } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";

/**
 * Whether a signed-in user may see a record of this cluster and namespace: everything with an "all"
 * inventory permission, only granted namespaces otherwise (cluster-scoped kinds need a "*" grant).
 */
export function canSeeRecord(principal: Principal, cluster: string, namespace: string | null): boolean {
  return authorize(principal, "inventory:read", { cluster, namespace: namespace ?? CLUSTER_SCOPED_NAMESPACE })
    .allowed;
}

export function filterVisibleRecords<T extends { cluster: string; namespace: string | null }>(
  records: readonly T[],
  principal: Principal,
): readonly T[] {
  // Seeing everything returns the same array, which keeps the query's cached sort orders usable.
  if (
    permissionScope(principal.role, "inventory:read") === "all" &&
    authorize(principal, "inventory:read").allowed
  )
    return records;
  return records.filter((record) => canSeeRecord(principal, record.cluster, record.namespace));
}
