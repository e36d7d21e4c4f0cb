import "server-only";
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { ApiError, alreadyExists, notFound } from "./api-error";
import type { KubeObject } from "./kube-object";
import { nowIso } from "./kube-object";
import type { ResourceKind } from "./resource-kinds";
import { apiVersionOf, preferredKind, resourceKinds } from "./resource-kinds";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";
export type StoreEvent = { type: WatchEventType; rv: number; storageKey: string; object: KubeObject };
/**
 * Who wrote an object: the field manager (the API server names it after the User-Agent). `dryRun`
 * (the request's `dryRun=All`): every check runs and the answer is the object as it would be written,
 * but nothing is stored, no resourceVersion is spent and no watcher hears of it (upstream
 * DryRunnableStorage: a create gets its uid and creationTimestamp but no resourceVersion; an update
 * keeps the stored resourceVersion; a delete answers with the object as it is).
 */
export type WriteOptions = { manager?: string; dryRun?: boolean };

const DEFAULT_MANAGER = "sandbox-controller";
const FIELD_SET_DEPTH = 4;

/** A FieldsV1 set of the object's fields (maps only, a few levels deep: enough to look real). */
function fieldSet(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    set[`f:${key}`] =
      depth > 1 && typeof child === "object" && child !== null && !Array.isArray(child)
        ? fieldSet(child as Record<string, unknown>, depth - 1)
        : {};
  }
  return set;
}

/**
 * managedFields as a real API server keeps them: one entry per manager and operation, naming the
 * fields it set. Clients cannot write them here (the sandbox ignores what they send).
 */
function withManagedFields(
  object: KubeObject,
  previous: unknown[] | undefined,
  manager: string,
  operation: "Update" | "Apply",
): KubeObject {
  const {
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _created,
    generation: _generation,
    managedFields: _managed,
    ...metadata
  } = object.metadata;
  const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, status: _status, ...rest } = object;
  const entry = {
    manager,
    operation,
    apiVersion: object.apiVersion ?? "v1",
    time: nowIso(),
    fieldsType: "FieldsV1",
    fieldsV1: fieldSet({ metadata, ...rest }, FIELD_SET_DEPTH),
  };
  const others = (previous ?? []).filter(
    (e) => !(isRecordEntry(e) && e.manager === manager && e.operation === operation),
  );
  return { ...object, metadata: { ...object.metadata, managedFields: [...others, entry] } };
}

function isRecordEntry(value: unknown): value is { manager?: unknown; operation?: unknown } {
  return typeof value === "object" && value !== null;
}

/** Fields a write must not change, however the client sends them. */
const systemFields = [
  "uid",
  "creationTimestamp",
  "deletionTimestamp",
  "generation",
  "resourceVersion",
] as const;

function specOf(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}

/**
 * The in-memory etcd: one global resourceVersion counter, a bounded history of changes so watches can
 * resume, and synchronous listeners (the watch handlers and the controller emulations).
 * Stored objects are never mutated in place; readers must copy before changing one.
 */
export class ObjectStore {
  private rv = 1;
  private readonly buckets = new Map<string, Map<string, Map<string, KubeObject>>>();
  private history: StoreEvent[] = [];
  /** Watches and continue tokens from a resourceVersion below this get 410 Gone. */
  private oldestRv = 1;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  /** Per kind: the resourceVersion of its last event since the watch cache started (bookmarks carry it). */
  private lastEventRvs = new Map<string, number>();

  constructor(private readonly historyLimit = 20_000) {}

  currentRv(): number {
    return this.rv;
  }

  /** The last event's resourceVersion of one kind; 0 when it has had none since the watch cache started. */
  lastEventRv(storageKey: string): number {
    return this.lastEventRvs.get(storageKey) ?? 0;
  }

  /**
   * As after an API server start: no kind has had an event yet, so no watch gets a bookmark until its
   * kind changes (the real watch cache's rule).
   */
  restartWatchCache(): void {
    this.lastEventRvs = new Map();
  }

  oldestWatchableRv(): number {
    return this.oldestRv;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(kind: ResourceKind, namespace: string, name: string): KubeObject | undefined {
    return this.buckets
      .get(kind.storageKey)
      ?.get(kind.namespaced ? namespace : "")
      ?.get(name);
  }

  /** Objects sorted by namespace then name, the order continue tokens rely on. */
  list(kind: ResourceKind, namespace?: string): KubeObject[] {
    const bucket = this.buckets.get(kind.storageKey);
    if (!bucket) return [];
    const namespaces = namespace !== undefined && kind.namespaced ? [namespace] : [...bucket.keys()].sort();
    const out: KubeObject[] = [];
    for (const ns of namespaces) {
      const byName = bucket.get(ns);
      if (!byName) continue;
      for (const name of [...byName.keys()].sort()) out.push(byName.get(name)!);
    }
    return out;
  }

  /** Changes after `rv` for one kind, or "expired" when the history no longer reaches back that far. */
  eventsSince(rv: number, storageKey: string): StoreEvent[] | "expired" {
    if (rv < this.oldestRv) return "expired";
    return this.history.filter((event) => event.rv > rv && event.storageKey === storageKey);
  }

  /** Forgets all history, as an etcd compaction would: every older watch or continue token now gets 410. */
  expireHistory(): void {
    this.rv += 1;
    this.oldestRv = this.rv;
    this.history = [];
  }

  create(kind: ResourceKind, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const namespace = kind.namespaced ? (input.metadata.namespace ?? "default") : "";
    if (kind.namespaced && !this.get(preferredKind("", "Namespace"), "", namespace)) {
      throw notFound("namespaces", namespace);
    }
    let name = input.metadata.name;
    if (!name && input.metadata.generateName) {
      name = `${input.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    }
    if (!name)
      throw new ApiError(
        "Invalid",
        `${kind.kind} is invalid: metadata.name: Required value: name or generateName is required`,
      );
    if (this.get(kind, namespace, name)) throw alreadyExists(kind.plural, name, kind.group);
    const rv = options.dryRun ? undefined : this.nextRv();
    const metadata = {
      ...input.metadata,
      name,
      uid: randomUUID(),
      resourceVersion: rv === undefined ? undefined : String(rv),
      creationTimestamp: nowIso(),
    };
    if (rv === undefined) delete metadata.resourceVersion;
    delete metadata.deletionTimestamp;
    if (kind.namespaced) metadata.namespace = namespace;
    else delete metadata.namespace;
    if (kind.hasGeneration) metadata.generation = 1;
    else delete metadata.generation;
    delete metadata.managedFields;
    const object = withManagedFields(
      { ...input, apiVersion: apiVersionOf(preferredKind(kind.group, kind.kind)), kind: kind.kind, metadata },
      undefined,
      options.manager ?? DEFAULT_MANAGER,
      "Update",
    );
    if (rv === undefined) return object;
    this.put(kind, object);
    this.emit({ type: "ADDED", rv, storageKey: kind.storageKey, object });
    return object;
  }

  /**
   * Replaces an object. `status: true` writes only the status (the status subresource); otherwise the
   * status is kept for kinds that have a status subresource, as the API server does.
   */
  update(
    kind: ResourceKind,
    input: KubeObject,
    options: { status?: boolean } & WriteOptions = {},
  ): KubeObject {
    const namespace = kind.namespaced ? (input.metadata.namespace ?? "") : "";
    const name = input.metadata.name ?? "";
    const existing = this.get(kind, namespace, name);
    if (!existing) throw notFound(kind.plural, name, kind.group);
    const wanted = input.metadata.resourceVersion;
    if (wanted && wanted !== existing.metadata.resourceVersion) {
      const qualified = kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
      throw new ApiError(
        "Conflict",
        `Operation cannot be fulfilled on ${qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: kind.group, kind: kind.plural },
      );
    }
    let next: KubeObject;
    if (options.status) {
      next = { ...existing, status: input.status };
    } else {
      next = {
        ...input,
        apiVersion: existing.apiVersion,
        kind: existing.kind,
        metadata: { ...input.metadata },
      };
      if (kind.subresources.includes("status")) {
        if (existing.status === undefined) delete next.status;
        else next.status = existing.status;
      }
      for (const field of [...systemFields, "managedFields"] as const) {
        const value = existing.metadata[field];
        if (value === undefined) delete next.metadata[field];
        else (next.metadata as Record<string, unknown>)[field] = value;
      }
      next.metadata.name = existing.metadata.name;
      if (kind.namespaced) next.metadata.namespace = existing.metadata.namespace;
      if (kind.hasGeneration && !isDeepStrictEqual(specOf(next), specOf(existing))) {
        next.metadata.generation = (existing.metadata.generation ?? 1) + 1;
      }
    }
    if (isDeepStrictEqual(next, existing)) return existing;
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      return options.dryRun ? next : this.remove(kind, next);
    }
    next = withManagedFields(
      next,
      existing.metadata.managedFields,
      options.manager ?? DEFAULT_MANAGER,
      "Update",
    );
    if (options.dryRun) return next;
    const rv = this.nextRv();
    next = { ...next, metadata: { ...next.metadata, resourceVersion: String(rv) } };
    this.put(kind, next);
    this.emit({ type: "MODIFIED", rv, storageKey: kind.storageKey, object: next });
    return next;
  }

  /** Deletes an object, or marks it for deletion while finalizers remain. Dependents go with it. */
  delete(kind: ResourceKind, namespace: string, name: string, options: WriteOptions = {}): KubeObject {
    const existing = this.get(kind, namespace, name);
    if (!existing) throw notFound(kind.plural, name, kind.group);
    if (options.dryRun) return existing;
    if ((existing.metadata.finalizers ?? []).length > 0) {
      if (existing.metadata.deletionTimestamp) return existing;
      const rv = this.nextRv();
      const marked = {
        ...existing,
        metadata: { ...existing.metadata, deletionTimestamp: nowIso(), resourceVersion: String(rv) },
      };
      this.put(kind, marked);
      this.emit({ type: "MODIFIED", rv, storageKey: kind.storageKey, object: marked });
      return marked;
    }
    return this.remove(kind, existing);
  }

  private remove(kind: ResourceKind, existing: KubeObject): KubeObject {
    const namespace = kind.namespaced ? (existing.metadata.namespace ?? "") : "";
    const name = existing.metadata.name ?? "";
    this.buckets.get(kind.storageKey)?.get(namespace)?.delete(name);
    const rv = this.nextRv();
    const gone = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(rv) } };
    this.emit({ type: "DELETED", rv, storageKey: kind.storageKey, object: gone });
    this.collectGarbage(kind, gone);
    return gone;
  }

  /** Background cascading deletion: owned objects, and everything inside a deleted namespace. */
  private collectGarbage(kind: ResourceKind, gone: KubeObject) {
    const uid = gone.metadata.uid;
    for (const [storageKey, bucket] of this.buckets) {
      const [group, plural] = splitStorageKey(storageKey);
      const dependentKind = kindForStorage(group, plural);
      if (!dependentKind) continue;
      for (const [ns, byName] of bucket) {
        for (const object of [...byName.values()]) {
          const inDeletedNamespace =
            kind.kind === "Namespace" && kind.group === "" && ns === gone.metadata.name && ns !== "";
          const owned = object.metadata.ownerReferences?.some((ref) => ref.uid === uid) ?? false;
          if (inDeletedNamespace || owned) {
            if (this.get(dependentKind, ns, object.metadata.name ?? "")) {
              this.remove(dependentKind, object);
            }
          }
        }
      }
    }
  }

  private put(kind: ResourceKind, object: KubeObject) {
    let bucket = this.buckets.get(kind.storageKey);
    if (!bucket) this.buckets.set(kind.storageKey, (bucket = new Map()));
    const ns = kind.namespaced ? (object.metadata.namespace ?? "") : "";
    let byName = bucket.get(ns);
    if (!byName) bucket.set(ns, (byName = new Map()));
    byName.set(object.metadata.name ?? "", object);
  }

  private nextRv(): number {
    this.rv += 1;
    return this.rv;
  }

  private emit(event: StoreEvent) {
    this.history.push(event);
    this.lastEventRvs.set(event.storageKey, event.rv);
    if (this.history.length > this.historyLimit * 1.5) {
      const dropped = this.history.length - this.historyLimit;
      this.oldestRv = this.history[dropped - 1]!.rv;
      this.history = this.history.slice(dropped);
    }
    for (const listener of this.listeners) listener(event);
  }
}

function splitStorageKey(storageKey: string): [string, string] {
  const slash = storageKey.lastIndexOf("/");
  return [storageKey.slice(0, slash), storageKey.slice(slash + 1)];
}

function kindForStorage(group: string, plural: string): ResourceKind | undefined {
  return resourceKinds.find((k) => k.group === group && k.plural === plural && k.preferred);
}
