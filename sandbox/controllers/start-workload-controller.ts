import "server-only";
import type { ClusterContext } from "../server/cluster-context";
import type { KubeObject } from "../server/kube-object";
import { isRecord, pick } from "../server/kube-object";
import { preferredKind } from "../server/resource-kinds";

const workloads = [
  preferredKind("apps", "Deployment"),
  preferredKind("apps", "StatefulSet"),
  preferredKind("apps", "DaemonSet"),
];

function readyStatus(kindName: string, object: KubeObject): Record<string, unknown> {
  const replicas =
    typeof pick(object, "spec", "replicas") === "number" ? (pick(object, "spec", "replicas") as number) : 1;
  const observedGeneration = object.metadata.generation ?? 1;
  if (kindName === "DaemonSet")
    return {
      observedGeneration,
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      numberReady: 1,
      numberAvailable: 1,
      updatedNumberScheduled: 1,
    };
  const common = {
    observedGeneration,
    replicas,
    readyReplicas: replicas,
    updatedReplicas: replicas,
    availableReplicas: replicas,
  };
  return kindName === "StatefulSet" ? { ...common, currentReplicas: replicas } : common;
}

/**
 * Pods do not exist in the sandbox, so workloads are reported rolled out as soon as they change: enough
 * for `kubectl rollout restart|status` and for the dashboard's consumer health.
 */
export function startWorkloadController(context: ClusterContext): () => void {
  const { store } = context;
  const settle = (object: KubeObject) => {
    const kind = workloads.find((k) => k.kind === object.kind)!;
    const current = store.get(kind, object.metadata.namespace ?? "", object.metadata.name ?? "");
    if (!current) return;
    const status = readyStatus(kind.kind, current);
    if (
      isRecord(current.status) &&
      Object.entries(status).every(([k, v]) => (current.status as Record<string, unknown>)[k] === v)
    )
      return;
    store.update(
      kind,
      { ...current, status: { ...(isRecord(current.status) ? current.status : {}), ...status } },
      { status: true },
    );
  };
  const unsubscribe = store.subscribe((event) => {
    if (event.type !== "DELETED" && workloads.some((k) => k.storageKey === event.storageKey))
      setImmediate(() => settle(event.object));
  });
  for (const kind of workloads) for (const object of store.list(kind)) settle(object);
  return unsubscribe;
}
