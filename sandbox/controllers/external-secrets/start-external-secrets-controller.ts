import "server-only";
import { createHash } from "node:crypto";
import type { ClusterContext } from "../../server/cluster-context";
import type { KubeObject } from "../../server/kube-object";
import { isRecord, nowIso, pick, pickString } from "../../server/kube-object";
import { compileLabelSelector } from "../../server/match-label-selector";
import { preferredKind } from "../../server/resource-kinds";
import { createEventRecorder } from "../record-event";
import { WorkQueue } from "../work-queue";
import {
  ProviderError,
  fetchProviderData,
  unreachableAnnotation,
  validateStore,
} from "./fetch-provider-data";
import { parseDuration } from "./parse-duration";

const externalSecrets = preferredKind("external-secrets.io", "ExternalSecret");
const clusterExternalSecrets = preferredKind("external-secrets.io", "ClusterExternalSecret");
const secretStores = preferredKind("external-secrets.io", "SecretStore");
const clusterSecretStores = preferredKind("external-secrets.io", "ClusterSecretStore");
const secrets = preferredKind("", "Secret");
const namespaces = preferredKind("", "Namespace");

/** Skips an ExternalSecret entirely, so the demo estate can hold one whose last sync is long past. */
export const pausedAnnotation = "sandbox.sealdeck.io/paused";
const component = "external-secrets";

export type StoreRef = { kind: "SecretStore" | "ClusterSecretStore"; namespace?: string; name: string };

export type ExternalSecretsController = {
  idle(): Promise<void>;
  stop(): void;
  /**
   * Makes a store's provider unreachable (or reachable again) by setting or removing the
   * `sandbox.sealdeck.io/unreachable` annotation, as `kubectl annotate` would; false when no such store.
   */
  setStoreReachable(ref: StoreRef, reachable: boolean): boolean;
};

function md5(value: unknown): string {
  return createHash("md5").update(JSON.stringify(value)).digest("hex");
}

function sortedEntries(map: Record<string, string> | undefined) {
  return Object.entries(map ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/** ESO's `syncedResourceVersion`: the generation plus a hash of labels and annotations (so force-sync counts). */
export function resourceVersionOf(object: KubeObject): string {
  return `${object.metadata.generation ?? 1}-${md5({ annotations: sortedEntries(object.metadata.annotations), labels: sortedEntries(object.metadata.labels) })}`;
}

function readyCondition(object: KubeObject): Record<string, unknown> | undefined {
  const conditions = pick(object, "status", "conditions");
  return Array.isArray(conditions) ? conditions.filter(isRecord).find((c) => c.type === "Ready") : undefined;
}

function condition(
  previous: Record<string, unknown> | undefined,
  status: "True" | "False",
  reason: string,
  message: string,
) {
  const changed = previous?.status !== status || previous.reason !== reason;
  return {
    type: "Ready",
    status,
    reason,
    message,
    lastTransitionTime: changed ? nowIso() : (previous?.lastTransitionTime ?? nowIso()),
  };
}

function renderTemplate(text: string, values: Record<string, string>): string {
  // The common Go-template forms: {{ .key }} and {{ .key | toString }}.
  return text.replace(
    /\{\{\s*\.([A-Za-z0-9_-]+)(\s*\|\s*\w+)*\s*\}\}/g,
    (_, key: string) => values[key] ?? "",
  );
}

/**
 * External Secrets Operator for the `fake` provider: validates stores, syncs ExternalSecrets into
 * managed Secrets on their refreshInterval and refreshPolicy, re-syncs at once when labels or
 * annotations change (force-sync), and fans ClusterExternalSecrets out to matching namespaces.
 */
export function startExternalSecretsController(
  context: ClusterContext,
  log: (line: string) => void,
): ExternalSecretsController {
  const { store } = context;
  const recordEvent = createEventRecorder(store, component);
  const timers = new Map<string, NodeJS.Timeout>();

  const writeStatus = (
    kind: typeof externalSecrets,
    current: KubeObject,
    status: Record<string, unknown>,
  ) => {
    const next = { ...(isRecord(current.status) ? current.status : {}), ...status };
    if (JSON.stringify(next) === JSON.stringify(current.status)) return;
    store.update(kind, { ...current, status: next }, { status: true });
  };

  const schedule = (key: string, delayMs: number) => {
    clearTimeout(timers.get(key));
    if (delayMs <= 0) return;
    // Long intervals are capped by setTimeout's 24.8-day limit; a wake-up that is early re-checks and waits.
    const timer = setTimeout(() => queue.add(`es:${key}`), Math.min(delayMs, 2 ** 31 - 1));
    timer.unref();
    timers.set(key, timer);
  };

  const shouldRefresh = (es: KubeObject, intervalMs: number): boolean => {
    const status = isRecord(es.status) ? es.status : {};
    const synced = typeof status.syncedResourceVersion === "string" ? status.syncedResourceVersion : "";
    const refreshTime = typeof status.refreshTime === "string" ? Date.parse(status.refreshTime) : NaN;
    const policy = pickString(es, "spec", "refreshPolicy") ?? "Periodic";
    if (policy === "CreatedOnce") return synced === "" || Number.isNaN(refreshTime);
    if (policy === "OnChange") return synced !== resourceVersionOf(es);
    if (synced !== resourceVersionOf(es) || Number.isNaN(refreshTime)) return true;
    if (intervalMs === 0) return false;
    return refreshTime + intervalMs <= Date.now();
  };

  const syncExternalSecret = (key: string) => {
    const [namespace = "", name = ""] = key.split("/");
    const es = store.get(externalSecrets, namespace, name);
    if (!es || es.metadata.deletionTimestamp) {
      clearTimeout(timers.get(key));
      timers.delete(key);
      return;
    }
    if (es.metadata.annotations?.[pausedAnnotation] === "true") return;
    const intervalMs = parseDuration(pickString(es, "spec", "refreshInterval"), 3_600_000);
    const targetName = pickString(es, "spec", "target", "name") ?? name;
    const creationPolicy = pickString(es, "spec", "target", "creationPolicy") ?? "Owner";
    const target = store.get(secrets, namespace, targetName);
    const missingTarget =
      !target && creationPolicy === "Owner" && pickString(es, "spec", "refreshPolicy") !== "CreatedOnce";
    if (!shouldRefresh(es, intervalMs) && !missingTarget) {
      const refreshTime = Date.parse(pickString(es, "status", "refreshTime") ?? "");
      if (intervalMs > 0 && (pickString(es, "spec", "refreshPolicy") ?? "Periodic") === "Periodic")
        schedule(key, refreshTime + intervalMs - Date.now());
      return;
    }
    const previous = readyCondition(es);
    try {
      const storeRef = pick(es, "spec", "secretStoreRef");
      const storeName = pickString(storeRef, "name") ?? "";
      const storeKind = pickString(storeRef, "kind") ?? "SecretStore";
      const secretStore =
        storeKind === "ClusterSecretStore"
          ? store.get(clusterSecretStores, "", storeName)
          : store.get(secretStores, namespace, storeName);
      if (!secretStore)
        throw new ProviderError(
          `could not get ${storeKind} "${storeName}": ${storeKind}.external-secrets.io "${storeName}" not found`,
        );
      if (!validateStore(secretStore).ready)
        throw new ProviderError(`${storeKind} "${storeName}" is not ready`);
      const values = fetchProviderData(secretStore, es);
      const template = pick(es, "spec", "target", "template");
      const templateData = isRecord(template) && isRecord(template.data) ? template.data : undefined;
      const plain = templateData
        ? Object.fromEntries(
            Object.entries(templateData).map(([k, v]) => [k, renderTemplate(String(v), values)]),
          )
        : values;
      const data = Object.fromEntries(
        Object.entries(plain).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
      );
      if (creationPolicy !== "None") {
        if (creationPolicy === "Merge" && !target)
          throw new ProviderError(`secret ${targetName} does not exist and creationPolicy is Merge`);
        const owned = target?.metadata.ownerReferences?.some((ref) => ref.uid === es.metadata.uid) ?? false;
        if (
          target &&
          creationPolicy === "Owner" &&
          !owned &&
          target.metadata.labels?.["reconcile.external-secrets.io/managed"] !== "true"
        ) {
          throw new ProviderError(
            `target secret ${targetName} already exists and is not managed by this ExternalSecret`,
          );
        }
        const templateMeta = isRecord(template) && isRecord(template.metadata) ? template.metadata : {};
        const mergedData =
          creationPolicy === "Merge"
            ? { ...(isRecord(target?.data) ? (target.data as Record<string, string>) : {}), ...data }
            : data;
        const desired: KubeObject = {
          apiVersion: "v1",
          kind: "Secret",
          metadata: {
            ...(target?.metadata ?? {}),
            name: targetName,
            namespace,
            labels: {
              ...(target?.metadata.labels ?? {}),
              ...((templateMeta.labels as Record<string, string> | undefined) ?? {}),
              "reconcile.external-secrets.io/managed": "true",
            },
            annotations: {
              ...(target?.metadata.annotations ?? {}),
              ...((templateMeta.annotations as Record<string, string> | undefined) ?? {}),
              "reconcile.external-secrets.io/data-hash": md5(sortedEntries(mergedData)),
            },
            ...(creationPolicy === "Owner"
              ? {
                  ownerReferences: [
                    {
                      apiVersion: "external-secrets.io/v1",
                      kind: "ExternalSecret",
                      name,
                      uid: es.metadata.uid ?? "",
                      controller: true,
                      blockOwnerDeletion: true,
                    },
                  ],
                }
              : {}),
          },
          type:
            (isRecord(template) && typeof template.type === "string" ? template.type : undefined) ??
            target?.type ??
            "Opaque",
          data: mergedData,
        };
        delete desired.metadata.resourceVersion;
        const before = target?.metadata.resourceVersion;
        const written = target ? store.update(secrets, desired) : store.create(secrets, desired);
        if (written.metadata.resourceVersion !== before)
          recordEvent(es, "Normal", "Updated", "Updated Secret");
      }
      const current = store.get(externalSecrets, namespace, name) ?? es;
      writeStatus(externalSecrets, current, {
        conditions: [condition(previous, "True", "SecretSynced", "secret synced")],
        refreshTime: nowIso(),
        syncedResourceVersion: resourceVersionOf(current),
        binding: { name: targetName },
      });
      if ((pickString(es, "spec", "refreshPolicy") ?? "Periodic") === "Periodic") schedule(key, intervalMs);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const current = store.get(externalSecrets, namespace, name) ?? es;
      if (previous?.reason !== "SecretSyncedError" || previous.message !== error.message)
        recordEvent(current, "Warning", "UpdateFailed", error.message);
      // refreshTime keeps the last successful sync; ESO retries with backoff, here once a minute at most.
      writeStatus(externalSecrets, current, {
        conditions: [condition(previous, "False", "SecretSyncedError", error.message)],
      });
      schedule(key, Math.min(intervalMs > 0 ? intervalMs : 60_000, 60_000));
    }
  };

  const validateSecretStore = (kind: typeof secretStores, key: string) => {
    const [namespace = "", name = ""] = key.split("/");
    const secretStore = store.get(kind, namespace, name);
    if (!secretStore) return;
    const result = validateStore(secretStore);
    const previous = readyCondition(secretStore);
    writeStatus(kind, secretStore, {
      conditions: [condition(previous, result.ready ? "True" : "False", result.reason, result.message)],
      capabilities: "ReadWrite",
    });
    // Stores becoming ready or failing changes what their ExternalSecrets can do.
    const refKind = kind === clusterSecretStores ? "ClusterSecretStore" : "SecretStore";
    for (const es of store.list(externalSecrets, kind === clusterSecretStores ? undefined : namespace)) {
      if (
        pickString(es, "spec", "secretStoreRef", "name") === name &&
        (pickString(es, "spec", "secretStoreRef", "kind") ?? "SecretStore") === refKind
      )
        queue.add(`es:${es.metadata.namespace ?? ""}/${es.metadata.name ?? ""}`);
    }
  };

  const reconcileClusterExternalSecret = (name: string) => {
    const ces = store.get(clusterExternalSecrets, "", name);
    const childName = pickString(ces, "spec", "externalSecretName") ?? name;
    const owned = (es: KubeObject) =>
      es.metadata.ownerReferences?.some((ref) => ref.kind === "ClusterExternalSecret" && ref.name === name) ??
      false;
    const wanted = new Set<string>();
    if (ces && !ces.metadata.deletionTimestamp) {
      const listed = pick(ces, "spec", "namespaces");
      for (const ns of Array.isArray(listed) ? listed : []) wanted.add(String(ns));
      const selectors = [
        pick(ces, "spec", "namespaceSelector"),
        ...((pick(ces, "spec", "namespaceSelectors") as unknown[] | undefined) ?? []),
      ].filter(isRecord);
      for (const selector of selectors) {
        const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
        const text = Object.entries(matchLabels)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(",");
        const matches = compileLabelSelector(text);
        for (const ns of store.list(namespaces))
          if (matches(ns.metadata.labels)) wanted.add(ns.metadata.name ?? "");
      }
    }
    for (const es of store.list(externalSecrets)) {
      if (owned(es) && !wanted.has(es.metadata.namespace ?? ""))
        store.delete(externalSecrets, es.metadata.namespace ?? "", es.metadata.name ?? "");
    }
    if (!ces || ces.metadata.deletionTimestamp) return;
    const meta = pick(ces, "spec", "externalSecretMetadata");
    const forceSync = ces.metadata.annotations?.["external-secrets.io/force-sync"];
    const provisioned: string[] = [];
    const failed: { namespace: string; reason: string }[] = [];
    for (const namespace of [...wanted].sort()) {
      if (!store.get(namespaces, "", namespace)) {
        failed.push({ namespace, reason: "namespace does not exist" });
        continue;
      }
      const existing = store.get(externalSecrets, namespace, childName);
      if (existing && !owned(existing)) {
        failed.push({ namespace, reason: "external secret already exists in namespace" });
        continue;
      }
      const desired: KubeObject = {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: {
          ...(existing?.metadata ?? {}),
          name: childName,
          namespace,
          labels: { ...((pick(meta, "labels") as Record<string, string> | undefined) ?? {}) },
          annotations: {
            ...((pick(meta, "annotations") as Record<string, string> | undefined) ?? {}),
            ...(forceSync ? { "external-secrets.io/force-sync": forceSync } : {}),
          },
          ownerReferences: [
            {
              apiVersion: "external-secrets.io/v1",
              kind: "ClusterExternalSecret",
              name,
              uid: ces.metadata.uid ?? "",
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: pick(ces, "spec", "externalSecretSpec") ?? {},
      };
      delete desired.metadata.resourceVersion;
      if (existing) store.update(externalSecrets, desired);
      else store.create(externalSecrets, desired);
      provisioned.push(namespace);
    }
    writeStatus(clusterExternalSecrets, store.get(clusterExternalSecrets, "", name)!, {
      externalSecretName: childName,
      provisionedNamespaces: provisioned,
      ...(failed.length ? { failedNamespaces: failed } : {}),
      conditions: [
        condition(
          readyCondition(ces),
          failed.length ? "False" : "True",
          failed.length ? "NotReady" : "Ready",
          failed.length ? "one or more namespaces failed" : "",
        ),
      ],
    });
  };

  const queue = new WorkQueue(
    (item) => {
      const [type, key = ""] = [item.slice(0, item.indexOf(":")), item.slice(item.indexOf(":") + 1)];
      if (type === "es") syncExternalSecret(key);
      else if (type === "ss") validateSecretStore(secretStores, key);
      else if (type === "css") validateSecretStore(clusterSecretStores, `/${key}`);
      else if (type === "ces") reconcileClusterExternalSecret(key);
    },
    (item, error) =>
      log(`external-secrets: ${item}: ${error instanceof Error ? error.message : String(error)}`),
  );

  // Only spec, label and annotation changes (not the controller's own status writes) trigger work.
  const seen = new Map<string, string>();
  const enqueue = (prefix: string, object: KubeObject, deleted: boolean) => {
    const clusterScoped = prefix === "ces" || prefix === "css";
    const item = clusterScoped
      ? `${prefix}:${object.metadata.name ?? ""}`
      : `${prefix}:${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
    const print = deleted ? "deleted" : resourceVersionOf(object);
    if (seen.get(item) === print) return;
    if (deleted) seen.delete(item);
    else seen.set(item, print);
    queue.add(item);
  };
  const unsubscribe = store.subscribe((event) => {
    const deleted = event.type === "DELETED";
    if (event.storageKey === externalSecrets.storageKey) enqueue("es", event.object, deleted);
    else if (event.storageKey === secretStores.storageKey) enqueue("ss", event.object, deleted);
    else if (event.storageKey === clusterSecretStores.storageKey) enqueue("css", event.object, deleted);
    else if (event.storageKey === clusterExternalSecrets.storageKey) enqueue("ces", event.object, deleted);
    else if (event.storageKey === namespaces.storageKey)
      for (const ces of store.list(clusterExternalSecrets)) queue.add(`ces:${ces.metadata.name ?? ""}`);
    else if (event.storageKey === secrets.storageKey && deleted) {
      // A deleted target Secret is recreated on the next reconcile, as ESO does through its Secret watch.
      for (const ref of event.object.metadata.ownerReferences ?? []) {
        if (ref.kind === "ExternalSecret")
          queue.add(`es:${event.object.metadata.namespace ?? ""}/${ref.name}`);
      }
    }
  });
  for (const object of store.list(secretStores)) enqueue("ss", object, false);
  for (const object of store.list(clusterSecretStores)) enqueue("css", object, false);
  for (const object of store.list(clusterExternalSecrets)) enqueue("ces", object, false);
  for (const object of store.list(externalSecrets)) enqueue("es", object, false);

  return {
    idle: () => queue.idle(),
    setStoreReachable(ref, reachable) {
      const kind = ref.kind === "ClusterSecretStore" ? clusterSecretStores : secretStores;
      const namespace = ref.kind === "ClusterSecretStore" ? "" : (ref.namespace ?? "");
      const current = store.get(kind, namespace, ref.name);
      if (!current) return false;
      const { [unreachableAnnotation]: _previous, ...others } = current.metadata.annotations ?? {};
      const annotations = reachable ? others : { ...others, [unreachableAnnotation]: "true" };
      store.update(kind, { ...current, metadata: { ...current.metadata, annotations } });
      return true;
    },
    stop() {
      unsubscribe();
      queue.stop();
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}
