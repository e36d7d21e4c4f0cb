import "server-only";
import type { KubeObject } from "../../server/kube-object";

/**
 * The OAEP label of a SealedSecret, read from its own annotations as the controller does:
 * cluster-wide wins over namespace-wide; otherwise strict `namespace/name`.
 */
export function sealingLabel(sealedSecret: KubeObject): string {
  const annotations = sealedSecret.metadata.annotations ?? {};
  if (annotations["sealedsecrets.bitnami.com/cluster-wide"] === "true") return "";
  const namespace = sealedSecret.metadata.namespace ?? "";
  if (annotations["sealedsecrets.bitnami.com/namespace-wide"] === "true") return namespace;
  return `${namespace}/${sealedSecret.metadata.name ?? ""}`;
}
