import "server-only";
import type { ClusterSnapshot } from "@/lib/kube/build-secret-records";
import { readConditions } from "@/lib/kube/read-conditions";
import { arr, obj, str } from "@/lib/kube/read-json";
import type { KubeObject } from "@/lib/kube/strip-object";
import { secretRecordId } from "@/lib/validations/secret-record";
import {
  compareDependants,
  compareIncidents,
  type StoreDependant,
  type StoreIncident,
  type StoreKind,
} from "@/lib/validations/store-incidents";
import { readCredentialDeadline } from "./read-credential-deadline";

const storeId = (cluster: string, kind: StoreKind, namespace: string, name: string) =>
  [cluster, kind === "ClusterSecretStore" ? "-" : namespace, kind, name].join("/");

/**
 * Every store an ExternalSecret reads from: `spec.secretStoreRef`, and the per-entry overrides
 * `data[].sourceRef.storeRef` and `dataFrom[].sourceRef.storeRef`. A ref's kind defaults to
 * SecretStore, which resolves in the ExternalSecret's own namespace; a ClusterSecretStore by name alone.
 */
function referencedStores(es: KubeObject, cluster: string): Set<string> {
  const namespace = es.metadata.namespace ?? "";
  const spec = obj(es.spec);
  const refs = [
    obj(spec.secretStoreRef),
    ...[...arr(spec.data), ...arr(spec.dataFrom)].map((entry) => obj(obj(obj(entry).sourceRef).storeRef)),
  ];
  const ids = new Set<string>();
  for (const ref of refs) {
    const name = str(ref.name);
    if (!name) continue;
    const kind: StoreKind = str(ref.kind) === "ClusterSecretStore" ? "ClusterSecretStore" : "SecretStore";
    ids.add(storeId(cluster, kind, namespace, name));
  }
  return ids;
}

function dependantOf(es: KubeObject, cluster: string): StoreDependant {
  const namespace = es.metadata.namespace ?? "";
  const name = es.metadata.name ?? "";
  const status = obj(es.status);
  const ready = readConditions(es.status).find((c) => c.type === "Ready");
  const lastSyncedAt = str(status.refreshTime) || null;
  const deadline = readCredentialDeadline(es.metadata.annotations, lastSyncedAt);
  return {
    id: secretRecordId(cluster, namespace, "ExternalSecret", name),
    cluster,
    namespace,
    name,
    ready: ready ? { status: ready.status, reason: ready.reason, message: ready.message } : null,
    lastSyncedAt,
    refreshInterval: str(obj(es.spec).refreshInterval) ?? "1h",
    deadline: deadline.deadline,
    deadlineSource: deadline.source,
    deadlineProblem: deadline.problem,
  };
}

/**
 * One cluster's stores that report Ready other than True, each with every ExternalSecret that reads
 * from it, ordered by deadline. A store without a Ready condition yet (ESO has not looked) is not an
 * incident. Pure: the inventory's cached objects in, the app's shapes out.
 */
export function findStoreIncidents(cluster: string, snapshot: ClusterSnapshot): StoreIncident[] {
  const incidents = new Map<string, StoreIncident>();
  for (const [kind, stores] of [
    ["SecretStore", snapshot.secretStores ?? []],
    ["ClusterSecretStore", snapshot.clusterSecretStores ?? []],
  ] as const) {
    for (const store of stores) {
      const ready = readConditions(store.status).find((c) => c.type === "Ready");
      if (!ready || ready.status === "True") continue;
      const namespace = store.metadata.namespace ?? "";
      const name = store.metadata.name ?? "";
      const id = storeId(cluster, kind, namespace, name);
      incidents.set(id, {
        kind: "store-unreachable",
        id,
        cluster,
        store: kind === "SecretStore" ? { kind, namespace, name } : { kind, name },
        provider: Object.keys(obj(obj(store.spec).provider))[0] ?? null,
        reason: ready.reason ?? (ready.status === "False" ? "Not ready" : "Ready unknown"),
        message: ready.message,
        since: ready.lastTransitionTime,
        dependants: [],
      });
    }
  }
  // The common case, every store Ready, costs nothing more.
  if (incidents.size === 0) return [];
  for (const es of snapshot.externalSecrets ?? []) {
    let dependant: StoreDependant | undefined;
    for (const id of referencedStores(es, cluster)) {
      const incident = incidents.get(id);
      if (!incident) continue;
      dependant ??= dependantOf(es, cluster);
      incident.dependants.push(dependant);
    }
  }
  for (const incident of incidents.values()) incident.dependants.sort(compareDependants);
  return [...incidents.values()].sort(compareIncidents);
}
