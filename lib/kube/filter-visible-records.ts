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

/**
 * What `principal` may see, as a test per record, or null for everything. The answer for each cluster and
 * namespace is worked out once per call, since a page of the inventory asks for 100,000 records.
 */
export function visibleRecordTest(
  principal: Principal,
): ((record: { cluster: string; namespace: string | null }) => boolean) | null {
  if (seesEverything(principal)) return null;
  const answers = new Map<string, boolean>();
  return ({ cluster, namespace }) => {
    const key = `${cluster}\u0000${namespace ?? CLUSTER_SCOPED_NAMESPACE}`;
    let allowed = answers.get(key);
    if (allowed === undefined) {
      allowed = canSeeRecord(principal, cluster, namespace);
      answers.set(key, allowed);
    }
    return allowed;
  };
}

const seesEverything = (principal: Principal) =>
  permissionScope(principal.role, "inventory:read") === "all" &&
  authorize(principal, "inventory:read").allowed;

export function filterVisibleRecords<T extends { cluster: string; namespace: string | null }>(
  records: readonly T[],
  principal: Principal,
): readonly T[] {
  // Seeing everything returns the same array, which keeps the query's cached sort orders usable.
  const visible = visibleRecordTest(principal);
  return visible ? records.filter(visible) : records;
}
