import "server-only";
import type { ExternalSecretSource, StatusCondition } from "@/lib/validations/secret-record";
import { readConditions } from "./read-conditions";
import { arr, obj, str } from "./read-json";
import type { KubeObject } from "./strip-object";

/** A SecretStore or ClusterSecretStore as the health check needs it. */
export type StoreFacts = { provider: string | null; ready: boolean | null; message: string | null };

/** Stores by `Kind/namespace/name` (namespace empty for ClusterSecretStores). */
export type StoreIndex = Map<string, StoreFacts>;

export function storeKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${kind === "ClusterSecretStore" ? "" : namespace}/${name}`;
}

export function indexStores(stores: readonly KubeObject[], clusterStores: readonly KubeObject[]): StoreIndex {
  const index: StoreIndex = new Map();
  for (const [kind, list] of [
    ["SecretStore", stores],
    ["ClusterSecretStore", clusterStores],
  ] as const) {
    for (const store of list) {
      const ready = readConditions(store.status).find((c) => c.type === "Ready");
      index.set(storeKey(kind, store.metadata.namespace ?? "", store.metadata.name ?? ""), {
        provider: Object.keys(obj(obj(store.spec).provider))[0] ?? null,
        ready: ready ? ready.status === "True" : null,
        message: ready?.message ?? ready?.reason ?? null,
      });
    }
  }
  return index;
}

export type NormalizedExternalSecret = {
  namespace: string | null;
  name: string;
  keys: string[];
  type: string | null;
  source: ExternalSecretSource;
  targetName: string;
  /** False when creationPolicy None/Orphan means no Secret is expected to be owned. */
  expectsTarget: boolean;
  conditions: StatusCondition[];
};

function readSpec(spec: Record<string, unknown>, namespace: string, stores: StoreIndex) {
  const target = obj(spec.target);
  const template = obj(target.template);
  const storeRef = obj(spec.secretStoreRef);
  const storeName = str(storeRef.name);
  const storeKind = str(storeRef.kind) ?? "SecretStore";
  const store = storeName ? stores.get(storeKey(storeKind, namespace, storeName)) : undefined;
  const remoteKeys: string[] = [];
  const keys = new Set<string>();
  for (const entry of arr(spec.data)) {
    const item = obj(entry);
    const secretKey = str(item.secretKey);
    if (secretKey) keys.add(secretKey);
    const key = str(obj(item.remoteRef).key);
    if (key) remoteKeys.push(key);
  }
  for (const entry of arr(spec.dataFrom)) {
    const item = obj(entry);
    const extract = str(obj(item.extract).key);
    if (extract) remoteKeys.push(extract);
    const regexp = str(obj(obj(obj(item.find).name)).regexp);
    if (regexp) remoteKeys.push(`find: ${regexp}`);
  }
  // A template's data defines the Secret's keys outright (dataFrom keys are only known remotely).
  for (const key of Object.keys(obj(template.data))) keys.add(key);
  const creationPolicy = str(target.creationPolicy) ?? "Owner";
  return {
    keys: [...keys].sort(),
    type: str(template.type) ?? "Opaque",
    targetName: str(target.name),
    expectsTarget: creationPolicy !== "None" && creationPolicy !== "Orphan",
    store: storeName ? { kind: storeKind, name: storeName } : null,
    provider: store?.provider ?? null,
    storeReady: store?.ready ?? null,
    remoteKeys: [...new Set(remoteKeys)],
    refreshInterval: str(spec.refreshInterval) ?? "1h",
    refreshPolicy: str(spec.refreshPolicy) ?? "Periodic",
  };
}

export function normalizeExternalSecret(object: KubeObject, stores: StoreIndex): NormalizedExternalSecret {
  const namespace = object.metadata.namespace ?? "";
  const name = object.metadata.name ?? "";
  const spec = readSpec(obj(object.spec), namespace, stores);
  const status = obj(object.status);
  return {
    namespace,
    name,
    keys: spec.keys,
    type: spec.type,
    targetName: spec.targetName ?? name,
    expectsTarget: spec.expectsTarget,
    source: {
      kind: "external-secrets",
      store: spec.store,
      provider: spec.provider,
      storeReady: spec.storeReady,
      remoteKeys: spec.remoteKeys,
      refreshInterval: spec.refreshInterval,
      refreshPolicy: spec.refreshPolicy,
      refreshTime: str(status.refreshTime),
    },
    conditions: readConditions(object.status),
  };
}

/** A ClusterExternalSecret: the ExternalSecret spec it stamps out, and where it did so. */
export function normalizeClusterExternalSecret(
  object: KubeObject,
  stores: StoreIndex,
): NormalizedExternalSecret {
  const name = object.metadata.name ?? "";
  const clusterSpec = obj(object.spec);
  // Namespaced store refs resolve per target namespace; for the summary use the cluster store or none.
  const spec = readSpec(obj(clusterSpec.externalSecretSpec), "", stores);
  const status = obj(object.status);
  const strings = (value: unknown) =>
    arr(value).flatMap((v) => (typeof v === "string" ? [v] : (str(obj(v).namespace) ?? [])));
  return {
    namespace: null,
    name,
    keys: spec.keys,
    type: spec.type,
    targetName: spec.targetName ?? str(clusterSpec.externalSecretName) ?? name,
    expectsTarget: spec.expectsTarget,
    source: {
      kind: "external-secrets",
      store: spec.store,
      provider: spec.provider,
      storeReady: spec.storeReady,
      remoteKeys: spec.remoteKeys,
      refreshInterval: spec.refreshInterval,
      refreshPolicy: spec.refreshPolicy,
      refreshTime: null,
      provisionedNamespaces: strings(status.provisionedNamespaces),
      failedNamespaces: strings(status.failedNamespaces),
    },
    conditions: readConditions(object.status),
  };
}
