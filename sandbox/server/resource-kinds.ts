import "server-only";

/** Verbs a resource path accepts; the same strings RBAC and discovery use. */
export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export type ResourceKind = {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served under `<name>/<sub>`. */
  subresources: ("status" | "proxy")[];
  verbs: Verb[];
  /** Built-ins accept strategic merge patches; custom resources answer 415 like the real API server. */
  builtIn: boolean;
  /** Whether metadata.generation tracks spec changes (workloads and custom resources). */
  hasGeneration: boolean;
  /** Versions of one group share a store: ExternalSecrets written as v1beta1 are read back as v1. */
  storageKey: string;
  /** Served but not listed as preferred (e.g. external-secrets.io/v1beta1). */
  preferred: boolean;
};

const crud: Verb[] = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

type KindInput = Omit<
  ResourceKind,
  "singular" | "storageKey" | "verbs" | "preferred" | "builtIn" | "hasGeneration"
> &
  Partial<Pick<ResourceKind, "verbs" | "preferred" | "builtIn" | "hasGeneration">>;

function kind(input: KindInput): ResourceKind {
  return {
    singular: input.kind.toLowerCase(),
    storageKey: `${input.group}/${input.plural}`,
    verbs: crud,
    preferred: true,
    builtIn:
      input.group === "" ||
      input.group.endsWith(".k8s.io") ||
      ["apps", "batch", "policy"].includes(input.group),
    hasGeneration: false,
    ...input,
  };
}

const externalSecretsKinds = (version: string, preferred: boolean): ResourceKind[] => [
  kind({
    group: "external-secrets.io",
    version,
    kind: "ExternalSecret",
    plural: "externalsecrets",
    namespaced: true,
    shortNames: ["es"],
    categories: ["external-secrets"],
    subresources: ["status"],
    hasGeneration: true,
    preferred,
  }),
  kind({
    group: "external-secrets.io",
    version,
    kind: "ClusterExternalSecret",
    plural: "clusterexternalsecrets",
    namespaced: false,
    shortNames: ["ces"],
    categories: ["external-secrets"],
    subresources: ["status"],
    hasGeneration: true,
    preferred,
  }),
  kind({
    group: "external-secrets.io",
    version,
    kind: "SecretStore",
    plural: "secretstores",
    namespaced: true,
    shortNames: ["ss"],
    categories: ["external-secrets"],
    subresources: ["status"],
    hasGeneration: true,
    preferred,
  }),
  kind({
    group: "external-secrets.io",
    version,
    kind: "ClusterSecretStore",
    plural: "clustersecretstores",
    namespaced: false,
    shortNames: ["css"],
    categories: ["external-secrets"],
    subresources: ["status"],
    hasGeneration: true,
    preferred,
  }),
  kind({
    group: "external-secrets.io",
    version,
    kind: "PushSecret",
    plural: "pushsecrets",
    namespaced: true,
    categories: ["external-secrets"],
    subresources: ["status"],
    hasGeneration: true,
    preferred,
  }),
];

/** Every resource the sandbox serves, in discovery order. */
export const resourceKinds: ResourceKind[] = [
  kind({
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    subresources: ["status"],
    verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
  }),
  kind({ group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true, subresources: [] }),
  kind({
    group: "",
    version: "v1",
    kind: "ConfigMap",
    plural: "configmaps",
    namespaced: true,
    shortNames: ["cm"],
    subresources: [],
  }),
  kind({
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
    namespaced: true,
    shortNames: ["svc"],
    categories: ["all"],
    subresources: ["status", "proxy"],
    verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
  }),
  kind({
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    namespaced: true,
    shortNames: ["sa"],
    subresources: [],
  }),
  kind({
    group: "",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
    subresources: [],
  }),
  kind({
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({
    group: "apps",
    version: "v1",
    kind: "StatefulSet",
    plural: "statefulsets",
    namespaced: true,
    shortNames: ["sts"],
    categories: ["all"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({
    group: "apps",
    version: "v1",
    kind: "DaemonSet",
    plural: "daemonsets",
    namespaced: true,
    shortNames: ["ds"],
    categories: ["all"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({
    group: "batch",
    version: "v1",
    kind: "CronJob",
    plural: "cronjobs",
    namespaced: true,
    shortNames: ["cj"],
    categories: ["all"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    plural: "poddisruptionbudgets",
    namespaced: true,
    shortNames: ["pdb"],
    subresources: ["status"],
    hasGeneration: true,
  }),
  kind({
    group: "networking.k8s.io",
    version: "v1",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    namespaced: true,
    shortNames: ["netpol"],
    subresources: [],
    hasGeneration: true,
  }),
  // RBAC objects are stored and served (deploy/ is applied here); the sandbox's authorizer reads its
  // policy file (sandbox/auth), not these.
  ...(
    [
      ["ClusterRole", "clusterroles", false],
      ["ClusterRoleBinding", "clusterrolebindings", false],
      ["Role", "roles", true],
      ["RoleBinding", "rolebindings", true],
    ] as const
  ).map(([kindName, plural, namespaced]) =>
    kind({
      group: "rbac.authorization.k8s.io",
      version: "v1",
      kind: kindName,
      plural,
      namespaced,
      subresources: [],
    }),
  ),
  kind({
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectAccessReview",
    plural: "selfsubjectaccessreviews",
    namespaced: false,
    subresources: [],
    verbs: ["create"],
  }),
  kind({
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectRulesReview",
    plural: "selfsubjectrulesreviews",
    namespaced: false,
    subresources: [],
    verbs: ["create"],
  }),
  kind({
    group: "bitnami.com",
    version: "v1alpha1",
    kind: "SealedSecret",
    plural: "sealedsecrets",
    namespaced: true,
    subresources: ["status"],
    hasGeneration: true,
  }),
  ...externalSecretsKinds("v1", true),
  ...externalSecretsKinds("v1beta1", false),
  kind({
    group: "argoproj.io",
    version: "v1alpha1",
    kind: "Application",
    plural: "applications",
    namespaced: true,
    shortNames: ["app", "apps"],
    categories: ["argo"],
    subresources: [],
    hasGeneration: true,
  }),
  // CloudNativePG's Postgres cluster: deploy/overlays/external-postgres shows one as the example.
  kind({
    group: "postgresql.cnpg.io",
    version: "v1",
    kind: "Cluster",
    plural: "clusters",
    namespaced: true,
    categories: ["cnpg"],
    subresources: ["status"],
    hasGeneration: true,
  }),
];

/** Kinds whose objects live in the store (the review kinds are computed per request). */
export const storedKinds = resourceKinds.filter((k) => k.verbs.includes("get"));

export function apiVersionOf(k: Pick<ResourceKind, "group" | "version">): string {
  return k.group === "" ? k.version : `${k.group}/${k.version}`;
}

export function findKind(group: string, version: string, plural: string): ResourceKind | undefined {
  return resourceKinds.find((k) => k.group === group && k.version === version && k.plural === plural);
}

export function findKindByApiVersion(apiVersion: string, kindName: string): ResourceKind | undefined {
  return resourceKinds.find((k) => apiVersionOf(k) === apiVersion && k.kind === kindName);
}

/** The preferred (storage) version of a kind, used by controllers and the seed loader. */
export function preferredKind(group: string, kindName: string): ResourceKind {
  const found = resourceKinds.find((k) => k.group === group && k.kind === kindName && k.preferred);
  if (!found) throw new Error(`unknown kind ${group}/${kindName}`);
  return found;
}
