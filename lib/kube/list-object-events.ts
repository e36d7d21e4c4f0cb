import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeEvent } from "@/lib/validations/secret-list-query";
import { kubeGetJson } from "./kube-request";
import { arr, obj, str } from "./read-json";

/** Recent Kubernetes Events about one object (newest first); read on demand, not cached. */
export async function listObjectEvents(
  kc: KubeConfig,
  target: { cluster: string; namespace: string | null; kind: string; name: string },
): Promise<KubeEvent[]> {
  const selector = `involvedObject.kind=${target.kind},involvedObject.name=${target.name}`;
  // Cluster-scoped objects' events land in "default", as kubectl describe expects.
  const namespace = target.namespace ?? "default";
  const list = await kubeGetJson<{ items?: unknown[] }>(
    kc,
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/events?fieldSelector=${encodeURIComponent(selector)}`,
    {
      cluster: target.cluster,
      namespace,
    },
  );
  return arr(list.items)
    .map(obj)
    .map((event) => ({
      type: str(event.type) ?? "Normal",
      reason: str(event.reason),
      message: str(event.message),
      count: typeof event.count === "number" ? event.count : 1,
      lastSeen:
        str(event.lastTimestamp) ?? str(event.eventTime) ?? str(obj(event.metadata).creationTimestamp),
      source: str(obj(event.source).component) ?? str(event.reportingComponent),
    }))
    .sort((a, b) => (b.lastSeen ?? "").localeCompare(a.lastSeen ?? ""))
    .slice(0, 50);
}
