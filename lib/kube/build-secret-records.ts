import "server-only";
import { type SecretRecord, secretRecordId } from "@/lib/validations/secret-record";
import { computeHealth } from "./compute-health";
import { diagnoseUnsealFailure } from "./diagnose-unseal-failure";
import { findConsumers, indexConsumers } from "./find-consumers";
import { findOwningApplication } from "./find-owning-application";
import {
  indexStores,
  normalizeClusterExternalSecret,
  normalizeExternalSecret,
  storeKey,
} from "./normalize-external-secret";
import { normalizeSealedSecret } from "./normalize-sealed-secret";
import { pickRotationAnnotations } from "./pick-rotation-annotations";
import type { WatchedKindKey } from "./resource-kinds";
import type { KubeObject } from "./strip-object";

export type ClusterSnapshot = Partial<Record<WatchedKindKey, readonly KubeObject[]>>;

export type RecordContext = {
  cluster: string;
  controller: { namespace: string; name: string } | null;
  controllerKeyBits: number | null;
  currentKeySha256: string | null;
  seenKeySha256s: string[];
  activeKeyCount: number;
  otherClusterKeys: Map<string, string>;
  staleSince: string | null;
  now: Date;
};

function base(object: KubeObject, context: RecordContext) {
  return {
    cluster: context.cluster,
    apiVersion: object.apiVersion ?? "",
    uid: object.metadata.uid ?? "",
    resourceVersion: object.metadata.resourceVersion ?? "",
    createdAt: object.metadata.creationTimestamp ?? null,
    labels: object.metadata.labels ?? {},
    rotationAnnotations: pickRotationAnnotations(object.metadata.annotations),
    staleSince: context.staleSince,
  };
}

/** Every SealedSecret, ExternalSecret and ClusterExternalSecret of one cluster as SecretRecords. */
export function buildSecretRecords(snapshot: ClusterSnapshot, context: RecordContext): SecretRecord[] {
  const secrets = new Set((snapshot.secrets ?? []).map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  const consumers = indexConsumers([
    { kind: "Deployment", objects: snapshot.deployments ?? [] },
    { kind: "StatefulSet", objects: snapshot.statefulSets ?? [] },
    { kind: "DaemonSet", objects: snapshot.daemonSets ?? [] },
    { kind: "CronJob", objects: snapshot.cronJobs ?? [] },
  ]);
  const stores = indexStores(snapshot.secretStores ?? [], snapshot.clusterSecretStores ?? []);
  const applications = snapshot.applications ?? [];
  // Without a Secret cache (forbidden, or not synced) presence is unknown rather than "missing".
  const present = (namespace: string, name: string) =>
    snapshot.secrets ? secrets.has(`${namespace}/${name}`) : null;
  const records: SecretRecord[] = [];

  for (const object of snapshot.sealedSecrets ?? []) {
    const s = normalizeSealedSecret(object, context.controller);
    const targetPresent = present(s.namespace, s.targetName);
    const health = computeHealth({ kind: "SealedSecret", conditions: s.conditions, targetPresent });
    records.push({
      ...base(object, context),
      id: secretRecordId(context.cluster, s.namespace, "SealedSecret", s.name),
      namespace: s.namespace,
      name: s.name,
      kind: "SealedSecret",
      keys: s.keys,
      scope: s.scope,
      type: s.type,
      source: s.source,
      target: { name: s.targetName, present: targetPresent },
      health,
      conditions: s.conditions,
      consumers: findConsumers(consumers, s.namespace, s.targetName),
      application: findOwningApplication(object, applications),
      diagnosis:
        health.reason === "Unseal failed"
          ? diagnoseUnsealFailure({
              namespace: s.namespace,
              name: s.name,
              scope: s.scope,
              templateScope: s.templateScope,
              templateName: s.source.templateName,
              templateNamespace: s.source.templateNamespace,
              sealedWith: s.source.sealedWith,
              rsaBlockBytes: s.rsaBlockBytes,
              controllerKeyBits: context.controllerKeyBits,
              currentKeySha256: context.currentKeySha256,
              seenKeySha256s: context.seenKeySha256s,
              activeKeyCount: context.activeKeyCount,
              otherClusterKeys: context.otherClusterKeys,
            })
          : null,
    });
  }

  for (const object of snapshot.externalSecrets ?? []) {
    const e = normalizeExternalSecret(object, stores);
    const namespace = e.namespace ?? "";
    const targetPresent = present(namespace, e.targetName);
    const store = e.source.store
      ? stores.get(storeKey(e.source.store.kind, namespace, e.source.store.name))
      : undefined;
    records.push({
      ...base(object, context),
      id: secretRecordId(context.cluster, namespace, "ExternalSecret", e.name),
      namespace,
      name: e.name,
      kind: "ExternalSecret",
      keys: e.keys,
      scope: null,
      type: e.type,
      source: e.source,
      target: { name: e.targetName, present: targetPresent },
      health: computeHealth({
        kind: "ExternalSecret",
        conditions: e.conditions,
        targetPresent,
        expectsTarget: e.expectsTarget,
        storeReady: e.source.storeReady,
        storeMessage: store?.message ?? null,
        refreshInterval: e.source.refreshInterval,
        refreshPolicy: e.source.refreshPolicy,
        refreshTime: e.source.refreshTime,
        now: context.now,
      }),
      conditions: e.conditions,
      consumers: findConsumers(consumers, namespace, e.targetName),
      application: findOwningApplication(object, applications),
      diagnosis: null,
    });
  }

  for (const object of snapshot.clusterExternalSecrets ?? []) {
    const c = normalizeClusterExternalSecret(object, stores);
    const namespaces = c.source.provisionedNamespaces ?? [];
    const presence = namespaces.map((ns) => present(ns, c.targetName));
    const store = c.source.store
      ? stores.get(storeKey(c.source.store.kind, "", c.source.store.name))
      : undefined;
    records.push({
      ...base(object, context),
      id: secretRecordId(context.cluster, null, "ClusterExternalSecret", c.name),
      namespace: null,
      name: c.name,
      kind: "ClusterExternalSecret",
      keys: c.keys,
      scope: null,
      type: c.type,
      source: c.source,
      target: {
        name: c.targetName,
        present: presence.length === 0 || presence.includes(null) ? null : presence.every(Boolean),
      },
      health: computeHealth({
        kind: "ClusterExternalSecret",
        conditions: c.conditions,
        failedNamespaces: c.source.failedNamespaces ?? [],
        storeReady: c.source.storeReady,
        storeMessage: store?.message ?? null,
      }),
      conditions: c.conditions,
      consumers: namespaces.flatMap((ns) => findConsumers(consumers, ns, c.targetName)),
      application: findOwningApplication(object, applications),
      diagnosis: null,
    });
  }
  return records;
}
