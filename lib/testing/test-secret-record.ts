import type { HealthStatus, SecretRecord } from "@/lib/validations/secret-record";

/**
 * A SealedSecret's record for tests (cluster c1, namespace ns unless `extra` says otherwise), with
 * `extra` laid over it. The id follows the cluster, namespace and kind, as the inventory builds it.
 */
export function testSecretRecord(
  name: string,
  health: HealthStatus = "Healthy",
  extra: Partial<SecretRecord> = {},
): SecretRecord {
  const cluster = extra.cluster ?? "c1";
  const namespace = extra.namespace === undefined ? "ns" : extra.namespace;
  const kind = extra.kind ?? "SealedSecret";
  return {
    id: `${cluster}/${namespace ?? "-"}/${kind}/${name}`,
    cluster,
    namespace,
    name,
    kind,
    apiVersion: "bitnami.com/v1alpha1",
    uid: name,
    resourceVersion: "1",
    createdAt: null,
    labels: {},
    keys: ["API_KEY"],
    scope: "strict",
    type: "Opaque",
    source: {
      kind: "sealed-secrets",
      controller: null,
      sealedWith: null,
      templateName: null,
      templateNamespace: null,
    },
    target: { name, present: true },
    health: { status: health, reason: health, message: null },
    conditions: [],
    consumers: [],
    application: null,
    diagnosis: null,
    staleSince: null,
    ...extra,
  };
}
