import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { readSealingControllerOverride } from "@/lib/settings/read-cluster-settings";
import type { ControllerInfo } from "@/lib/validations/cluster-status";
import { kubeGetJson, kubeRequest } from "./kube-request";
import { arr, obj, str } from "./read-json";

/**
 * Where a controller is: a service reached through the API server's proxy, or (Settings) a URL reached
 * directly, with `namespace` still naming where its sealing keys live.
 */
export type SealingControllerRef = { namespace: string; service: string; port: string; url?: string };

type Service = { metadata?: { name?: string; namespace?: string }; spec?: unknown };

function portOf(service: Service): string {
  const ports = arr(obj(service.spec).ports).map(obj);
  const http = ports.find((p) => str(p.name) === "http") ?? ports[0];
  if (!http) return "8080";
  return str(http.name) ?? String(http.port ?? 8080);
}

/**
 * Finds the sealed-secrets controller's service: kubeseal's default `kube-system/sealed-secrets-controller`
 * first, then any service labelled `app.kubernetes.io/name=sealed-secrets` (the Helm chart names it
 * after the release). Null when neither exists.
 */
export async function discoverSealingController(
  kc: KubeConfig,
  cluster: string,
): Promise<SealingControllerRef | null> {
  // Settings → Clusters may name the service outright (a non-standard install discovery cannot find).
  const override = await readSealingControllerOverride(cluster);
  if (override.mode === "service")
    return { namespace: override.namespace, service: override.service, port: override.port };
  if (override.mode === "url")
    return { namespace: override.namespace, service: "", port: "", url: override.url };
  const direct = await kubeRequest(kc, "/api/v1/namespaces/kube-system/services/sealed-secrets-controller", {
    cluster,
    namespace: "kube-system",
  });
  if (direct.ok) {
    const service = await direct.json<Service>();
    return { namespace: "kube-system", service: "sealed-secrets-controller", port: portOf(service) };
  }
  direct.discard();
  const labelled = await kubeGetJson<{ items?: Service[] }>(
    kc,
    "/api/v1/services?labelSelector=app.kubernetes.io%2Fname%3Dsealed-secrets",
    { cluster },
  );
  const service = labelled.items?.[0];
  if (!service?.metadata?.name || !service.metadata.namespace) return null;
  return { namespace: service.metadata.namespace, service: service.metadata.name, port: portOf(service) };
}

/** The reference to the controller a cluster status describes. */
export function controllerRefOf(controller: ControllerInfo): SealingControllerRef {
  const { namespace, service, port, url } = controller;
  return url ? { namespace, service, port, url } : { namespace, service, port };
}

/** Path of a controller endpoint through the API server's service proxy. */
export function controllerProxyPath(ref: SealingControllerRef, endpoint: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/services/http:${encodeURIComponent(ref.service)}:${encodeURIComponent(ref.port)}/proxy${endpoint}`;
}
