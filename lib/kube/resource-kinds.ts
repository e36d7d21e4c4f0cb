import "server-only";

/** A kind the inventory caches, per cluster. `versions` are tried in order against discovery. */
export type WatchedKind = {
  key: WatchedKindKey;
  group: string;
  versions: string[];
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Secrets: listed and watched as PartialObjectMetadata only (invariant 2). */
  metadataOnly?: boolean;
};

export type WatchedKindKey =
  | "sealedSecrets"
  | "externalSecrets"
  | "clusterExternalSecrets"
  | "secretStores"
  | "clusterSecretStores"
  | "pushSecrets"
  | "applications"
  | "deployments"
  | "statefulSets"
  | "daemonSets"
  | "cronJobs"
  | "secrets";

const eso = "external-secrets.io";
// v1 is ESO's stored version; v1beta1 is only served by older releases.
const esoVersions = ["v1", "v1beta1"];

export const watchedKinds: WatchedKind[] = [
  {
    key: "sealedSecrets",
    group: "bitnami.com",
    versions: ["v1alpha1"],
    plural: "sealedsecrets",
    kind: "SealedSecret",
    namespaced: true,
  },
  {
    key: "externalSecrets",
    group: eso,
    versions: esoVersions,
    plural: "externalsecrets",
    kind: "ExternalSecret",
    namespaced: true,
  },
  {
    key: "clusterExternalSecrets",
    group: eso,
    versions: esoVersions,
    plural: "clusterexternalsecrets",
    kind: "ClusterExternalSecret",
    namespaced: false,
  },
  {
    key: "secretStores",
    group: eso,
    versions: esoVersions,
    plural: "secretstores",
    kind: "SecretStore",
    namespaced: true,
  },
  {
    key: "clusterSecretStores",
    group: eso,
    versions: esoVersions,
    plural: "clustersecretstores",
    kind: "ClusterSecretStore",
    namespaced: false,
  },
  {
    key: "pushSecrets",
    group: eso,
    versions: ["v1alpha1"],
    plural: "pushsecrets",
    kind: "PushSecret",
    namespaced: true,
  },
  {
    key: "applications",
    group: "argoproj.io",
    versions: ["v1alpha1"],
    plural: "applications",
    kind: "Application",
    namespaced: true,
  },
  {
    key: "deployments",
    group: "apps",
    versions: ["v1"],
    plural: "deployments",
    kind: "Deployment",
    namespaced: true,
  },
  {
    key: "statefulSets",
    group: "apps",
    versions: ["v1"],
    plural: "statefulsets",
    kind: "StatefulSet",
    namespaced: true,
  },
  {
    key: "daemonSets",
    group: "apps",
    versions: ["v1"],
    plural: "daemonsets",
    kind: "DaemonSet",
    namespaced: true,
  },
  {
    key: "cronJobs",
    group: "batch",
    versions: ["v1"],
    plural: "cronjobs",
    kind: "CronJob",
    namespaced: true,
  },
  {
    key: "secrets",
    group: "",
    versions: ["v1"],
    plural: "secrets",
    kind: "Secret",
    namespaced: true,
    metadataOnly: true,
  },
];

/** The collection path of a kind at a version, across all namespaces. */
export function collectionPath(
  kind: Pick<WatchedKind, "group" | "plural">,
  version: string,
  namespace?: string,
): string {
  const base = kind.group === "" ? `/api/${version}` : `/apis/${kind.group}/${version}`;
  return namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`
    : `${base}/${kind.plural}`;
}

/** Accept headers that make the API server return metadata only; never with a plain-JSON fallback. */
export const METADATA_LIST_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
export const METADATA_WATCH_ACCEPT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
