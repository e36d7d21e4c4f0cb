import type { HealthStatus, SecretRecord } from "@/lib/validations/secret-record";

/** A SealedSecret's record for tests (cluster c1, namespace ns), with `extra` laid over it. */
export function testSecretRecord(
  name: string,
  health: HealthStatus,
  extra: Partial<SecretRecord> = {},
): SecretRecord {
  return {
    id: `c1/ns/SealedSecret/${name}`,
    cluster: "c1",
    namespace: "ns",
    name,
    kind: "SealedSecret",
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
