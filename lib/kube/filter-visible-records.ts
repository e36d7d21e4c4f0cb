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
 * What `principal` may see, as a test per record, or null for everything. It depends on the record's
 * cluster and namespace only (querySecretRecords asks it once per place), and the answer for each is
 * worked out once per call: filtering the inventory asks it for 100,000 records. Nested maps rather than
 * a joined key, because building a key string per record was most of that cost.
 */
export function visibleRecordTest(
  principal: Principal,
): ((record: { cluster: string; namespace: string | null }) => boolean) | null {
  if (seesEverything(principal)) return null;
  const answers = new Map<string, Map<string | null, boolean>>();
  return ({ cluster, namespace }) => {
    let inCluster = answers.get(cluster);
    if (!inCluster) {
      inCluster = new Map();
      answers.set(cluster, inCluster);
    }
    let allowed = inCluster.get(namespace);
    if (allowed === undefined) {
      allowed = canSeeRecord(principal, cluster, namespace);
      inCluster.set(namespace, allowed);
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
