// The inventory's own shapes, shared by lib/kube (which builds them), the API and the browser.
// Nothing here ever holds a secret value: key names only.

export const secretKinds = ["SealedSecret", "ExternalSecret", "ClusterExternalSecret"] as const;
export type SecretKind = (typeof secretKinds)[number];

export const healthStatuses = ["Degraded", "Stale", "Unknown", "Healthy"] as const;
export type HealthStatus = (typeof healthStatuses)[number];

export const sealingScopes = ["strict", "namespace-wide", "cluster-wide"] as const;
export type SealingScope = (typeof sealingScopes)[number];

export type SecretHealth = {
  status: HealthStatus;
  /** Short, e.g. "Unseal failed", "SecretSyncedError", "Refresh overdue". */
  reason: string;
  /** The controller's own words, or ours when we inferred it. */
  message: string | null;
};

export type StatusCondition = {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
  lastTransitionTime: string | null;
};

export type ConsumerReference = "env" | "envFrom" | "volume" | "projected" | "imagePullSecrets";

export type SecretConsumer = {
  kind: "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob";
  namespace: string;
  name: string;
  via: ConsumerReference[];
};

export type OwningApplication = {
  name: string;
  namespace: string;
  sync: string | null;
  health: string | null;
  /** How the link was found: Argo's tracking annotation/label, or only the destination namespace. */
  matchedBy: "tracking-id" | "instance-label" | "destination-namespace";
};

export type SealedSecretSource = {
  kind: "sealed-secrets";
  controller: { namespace: string; name: string } | null;
  /** SHA-256 of the sealing key's SubjectPublicKeyInfo (`sealdeck.io/sealed-with`), when recorded. */
  sealedWith: string | null;
  /** Name and namespace the ciphertext was sealed for (the template's), when they differ from the object's. */
  templateName: string | null;
  templateNamespace: string | null;
};

export type ExternalSecretSource = {
  kind: "external-secrets";
  store: { kind: string; name: string } | null;
  provider: string | null;
  storeReady: boolean | null;
  remoteKeys: string[];
  refreshInterval: string | null;
  refreshPolicy: string | null;
  refreshTime: string | null;
  /** ClusterExternalSecret only: namespaces it provisioned and failed in. */
  provisionedNamespaces?: string[];
  failedNamespaces?: string[];
};

export type UnsealDiagnosis = {
  cause: "renamed-or-moved" | "scope-mismatch" | "other-cluster" | "key-missing" | "unknown";
  /** One sentence a developer understands. */
  summary: string;
  /** What to do about it. */
  fix: string;
};

export type SecretRecord = {
  /** `cluster/namespace/kind/name`; namespace is "-" for cluster-scoped kinds. */
  id: string;
  cluster: string;
  namespace: string | null;
  name: string;
  kind: SecretKind;
  apiVersion: string;
  uid: string;
  resourceVersion: string;
  createdAt: string | null;
  labels: Record<string, string>;
  /**
   * The object's rotation annotations only (`sealdeck.io/rotate-every`, `sealdeck.io/rotate-every.<key>`,
   * `sealdeck.io/owner`): what the Rotations workspace reads; no other annotation is kept. Absent on
   * records built before issue #14.
   */
  rotationAnnotations?: Record<string, string>;
  keys: string[];
  scope: SealingScope | null;
  /** Secret type of the target (template), e.g. Opaque, kubernetes.io/tls. */
  type: string | null;
  source: SealedSecretSource | ExternalSecretSource;
  target: { name: string; present: boolean | null };
  health: SecretHealth;
  conditions: StatusCondition[];
  consumers: SecretConsumer[];
  application: OwningApplication | null;
  diagnosis: UnsealDiagnosis | null;
  /** Set while the cluster is unreachable: this is the last state seen, since then. */
  staleSince: string | null;
};

export const CLUSTER_SCOPED_NAMESPACE = "-";

export function secretRecordId(
  cluster: string,
  namespace: string | null,
  kind: SecretKind,
  name: string,
): string {
  return [cluster, namespace ?? CLUSTER_SCOPED_NAMESPACE, kind, name].join("/");
}
