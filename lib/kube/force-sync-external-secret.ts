import "server-only";
import type { KubeAccess } from "./kube-identity";
import { mergePatchObject } from "./patch-object";

export type ForceSyncTarget = {
  cluster: string;
  kind: "ExternalSecret" | "ClusterExternalSecret";
  namespace: string | null;
  name: string;
  version: string;
};

/**
 * Asks External Secrets Operator to sync now, as `kubectl annotate … force-sync=$(date +%s)` does: any
 * annotation change alters the object's hash, and ESO refreshes. A ClusterExternalSecret copies
 * `external-secrets.io/force-sync` to every ExternalSecret it owns. Returns the value written.
 */
export async function forceSyncExternalSecret(
  access: KubeAccess,
  target: ForceSyncTarget,
  now = new Date(),
): Promise<string> {
  const value = String(Math.floor(now.getTime() / 1000));
  const base = `/apis/external-secrets.io/${encodeURIComponent(target.version)}`;
  if (target.kind === "ClusterExternalSecret") {
    await mergePatchObject(
      access,
      `${base}/clusterexternalsecrets/${encodeURIComponent(target.name)}`,
      { metadata: { annotations: { "external-secrets.io/force-sync": value } } },
      { cluster: target.cluster },
    );
    return value;
  }
  const namespace = target.namespace ?? "";
  await mergePatchObject(
    access,
    `${base}/namespaces/${encodeURIComponent(namespace)}/externalsecrets/${encodeURIComponent(target.name)}`,
    { metadata: { annotations: { "force-sync": value } } },
    { cluster: target.cluster, namespace },
  );
  return value;
}
