import "server-only";
import type { ClusterStatus, ClusterWarning } from "@/lib/validations/cluster-status";
import { CLUSTER_SCOPED_NAMESPACE, type SecretRecord } from "@/lib/validations/secret-record";
import { buildSecretRecords, type ClusterSnapshot, type RecordContext } from "./build-secret-records";
import { ClusterCache, type ObjectChange } from "./cluster-cache";
import { clockMayChangeHealth } from "./compute-health";
import { type ClusterEntry, loadClusterRegistry } from "./load-cluster-registry";
import type { WatchedKindKey } from "./resource-kinds";
import { startRotationWatcher, stopRotationWatcher } from "./start-rotation-watcher";
import { nextRevision } from "./next-revision";
import { sameJson } from "./same-json";
import { StringPool } from "./string-pool";

export type InventoryEvent =
  | { type: "upsert"; revision: number; record: SecretRecord; previous: SecretRecord | null }
  | { type: "delete"; revision: number; id: string; previous: SecretRecord | null }
  | { type: "cluster"; revision: number; cluster: ClusterStatus };

const REBUILD_DEBOUNCE_MS = 50;
const MAX_REBUILD_DELAY_MS = 2_000;
// Health depends on the clock (an overdue refresh turns Stale without any watch event), so what the clock
// can change is rebuilt this often (see sweep), in slices of SWEEP_SLICE namespaces with the event loop
// free between them: a 30,000-record estate rebuilt in one go would hold every request and live update
// for seconds.
const CLOCK_REBUILD_MS = 30_000;
/** Every this many sweeps a cluster is swept whole anyway (5 min): a safety net, not a mechanism. */
const FULL_SWEEP_EVERY = 10;

export type SweepSummary = { clusters: number; fullClusters: number; namespaces: number };

/** The record context minus the clock, as text: a change means every record may change. */
function contextFingerprint(context: RecordContext): string {
  const { now: _now, otherClusterKeys, ...rest } = context;
  return JSON.stringify({ ...rest, otherClusterKeys: [...otherClusterKeys].sort() });
}
const SWEEP_SLICE = 25;

/** What one rebuild covers: all namespaces (null) or some, and whether the cluster-scoped records too. */
type RebuildScope = { namespaces: ReadonlySet<string> | null; clusterScoped: boolean };
const FULL: RebuildScope = { namespaces: null, clusterScoped: true };

/**
 * The one in-process inventory: a ClusterCache per cluster, the SecretRecords built from them, and a
 * revision (time-based, see next-revision.ts) that orders changes for the list API and the event stream.
 */
export class Inventory {
  readonly clusters: ClusterCache[];
  /** One copy of each namespace, label, kind and condition text across every cluster's cache. */
  private readonly strings = new StringPool(100_000);
  private records = new Map<string, SecretRecord>();
  /** The same array until something changes, so queries can cache their sorted views by identity. */
  private listCache: SecretRecord[] | undefined;
  /**
   * Record ids by cluster, then namespace (CLUSTER_SCOPED_NAMESPACE for cluster-scoped records): a
   * rebuild of one namespace finds what it may delete without walking 100,000 records.
   */
  private placed = new Map<string, Map<string, Set<string>>>();
  private clusterStates = new Map<string, string>();
  /** Per dirty cluster: the namespaces to rebuild, or "all". */
  private pending = new Map<ClusterCache, Set<string> | "all">();
  private rebuildTimer: NodeJS.Timeout | undefined;
  private clockTimer: NodeJS.Timeout | undefined;
  /** Per cluster being swept: the namespaces still to rebuild (the cluster-scoped records come last). */
  private sweeps = new Map<ClusterCache, string[]>();
  private sweepStep: NodeJS.Immediate | undefined;
  private sweepDone: (() => void)[] = [];
  /** Per cluster: the record context of its last full sweep, and how many sweeps came since. */
  private fullSweeps = new Map<ClusterCache, { context: string; sweepsSince: number }>();
  private listeners = new Set<(event: InventoryEvent) => void>();
  private lastRebuildMs = 0;
  revision = 0;

  constructor(entries: ClusterEntry[]) {
    this.clusters = entries.map((entry) => {
      const cache: ClusterCache = new ClusterCache(entry, (change) => this.markDirty(cache, change), {
        strings: this.strings,
      });
      return cache;
    });
  }

  start(): void {
    for (const cluster of this.clusters) cluster.start();
    this.clockTimer = setInterval(() => void this.sweep(), CLOCK_REBUILD_MS);
    this.clockTimer.unref();
  }

  stop(): void {
    clearTimeout(this.rebuildTimer);
    clearInterval(this.clockTimer);
    clearImmediate(this.sweepStep);
    this.sweeps.clear();
    for (const done of this.sweepDone.splice(0)) done();
    for (const cluster of this.clusters) cluster.stop();
    this.listeners.clear();
  }

  /** Resolves once every cluster listed everything once or failed, or after `timeoutMs`. */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !this.clusters.every((c) => c.settled())) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    this.flush();
  }

  list(): readonly SecretRecord[] {
    this.listCache ??= [...this.records.values()];
    return this.listCache;
  }

  get(id: string): SecretRecord | undefined {
    return this.records.get(id);
  }

  clusterStatuses(): ClusterStatus[] {
    return this.clusters.map((c) => c.status());
  }

  warnings(): ClusterWarning[] {
    return this.clusters.flatMap((c) => [
      ...c.warnings,
      ...c.forbiddenKinds().map((kind): ClusterWarning => ({
        cluster: c.entry.name,
        code: "forbidden",
        message: `Sealdeck may not list ${kind} objects on this cluster.`,
      })),
    ]);
  }

  cluster(name: string): ClusterCache | undefined {
    return this.clusters.find((c) => c.entry.name === name);
  }

  subscribe(listener: (event: InventoryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Rebuilds, a slice of namespaces per turn of the event loop, what the clock can change: the
   * namespaces holding a record whose health the clock alone can change (an overdue refresh and its
   * "last refreshed … ago"), and every cluster-scoped record (a ClusterExternalSecret's view of its
   * targets catches up here). A cluster whose record context (controller, keys, other clusters' keys,
   * staleness) changed since its last full sweep, or that has not had one for FULL_SWEEP_EVERY sweeps,
   * is swept whole, as every sweep once was: rebuilding 100,000 records every 30 s took seconds of CPU
   * that a page render waited behind. `full` forces a whole sweep. Resolves when the sweep (or the one
   * already running) has finished, with how many namespaces it set out to rebuild.
   */
  sweep(options: { full?: boolean } = {}): Promise<SweepSummary> {
    const now = Date.now();
    const summary: SweepSummary = { clusters: 0, fullClusters: 0, namespaces: 0 };
    for (const cluster of this.clusters) {
      if (this.sweeps.has(cluster) || !cluster.settled()) continue;
      const context = contextFingerprint(this.recordContext(cluster, cluster.status()));
      const last = this.fullSweeps.get(cluster);
      const full =
        options.full === true ||
        !last ||
        last.context !== context ||
        last.sweepsSince + 1 >= FULL_SWEEP_EVERY;
      // Namespaces that hold records (those that are gone still have records to delete), and those
      // whose objects would make some.
      const namespaces = full ? this.allNamespaces(cluster) : this.clockDueNamespaces(cluster, now);
      if (full) this.fullSweeps.set(cluster, { context, sweepsSince: 0 });
      else last.sweepsSince++;
      this.sweeps.set(cluster, [...namespaces].sort());
      summary.clusters++;
      if (full) summary.fullClusters++;
      summary.namespaces += namespaces.size;
    }
    const done = new Promise<void>((resolve) => this.sweepDone.push(resolve));
    this.sweepStep ??= setImmediate(() => this.continueSweep());
    return done.then(() => summary);
  }

  private allNamespaces(cluster: ClusterCache): Set<string> {
    const namespaces = new Set(this.placed.get(cluster.entry.name)?.keys());
    namespaces.delete(CLUSTER_SCOPED_NAMESPACE);
    for (const key of ["sealedSecrets", "externalSecrets"] as const)
      for (const object of cluster.objects(key))
        if (object.metadata?.namespace) namespaces.add(object.metadata.namespace);
    return namespaces;
  }

  private clockDueNamespaces(cluster: ClusterCache, now: number): Set<string> {
    const due = new Set<string>();
    for (const [namespace, ids] of this.placed.get(cluster.entry.name) ?? []) {
      if (namespace === CLUSTER_SCOPED_NAMESPACE) continue;
      for (const id of ids) {
        const record = this.records.get(id);
        if (record && clockMayChangeHealth(record, now)) {
          due.add(namespace);
          break;
        }
      }
    }
    return due;
  }

  private continueSweep(): void {
    this.sweepStep = undefined;
    const next = this.sweeps.entries().next();
    if (next.done) {
      for (const done of this.sweepDone.splice(0)) done();
      return;
    }
    const [cluster, remaining] = next.value;
    const slice = remaining.splice(0, SWEEP_SLICE);
    if (slice.length > 0) this.rebuild(cluster, { namespaces: new Set(slice), clusterScoped: false });
    else {
      this.rebuild(cluster, { namespaces: new Set(), clusterScoped: true });
      this.sweeps.delete(cluster);
    }
    this.sweepStep = setImmediate(() => this.continueSweep());
  }

  private markDirty(cluster: ClusterCache, change?: ObjectChange): void {
    const scope =
      change && change.namespace && NAMESPACE_LOCAL_KINDS.has(change.kind) ? change.namespace : "all";
    const current = this.pending.get(cluster);
    if (scope === "all" || current === "all") this.pending.set(cluster, "all");
    else if (current) current.add(scope);
    else this.pending.set(cluster, new Set([scope]));
    if (this.rebuildTimer) return;
    // A rebuild of a large estate costs real CPU; under steady churn, batch more changes per rebuild.
    const delay = Math.min(MAX_REBUILD_DELAY_MS, Math.max(REBUILD_DEBOUNCE_MS, this.lastRebuildMs * 4));
    this.rebuildTimer = setTimeout(() => this.flush(), delay);
    this.rebuildTimer.unref();
  }

  /** Rebuilds the records of every dirty cluster and emits what changed. */
  flush(): void {
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = undefined;
    const dirty: [ClusterCache, Set<string> | "all"][] = [];
    for (const [cluster, scope] of this.pending) {
      // A cluster still listing is built once, when all its kinds are in: built after each kind, a
      // 10,000-record cluster would be rebuilt a dozen times during its first sync.
      if (cluster.settled()) dirty.push([cluster, scope]);
      else this.emitClusterStatus(cluster);
    }
    for (const [cluster] of dirty) this.pending.delete(cluster);
    if (this.pending.size > 0) {
      this.rebuildTimer = setTimeout(() => this.flush(), MAX_REBUILD_DELAY_MS);
      this.rebuildTimer.unref();
    }
    const started = performance.now();
    for (const [cluster, scope] of dirty)
      this.rebuild(cluster, scope === "all" ? FULL : { namespaces: scope, clusterScoped: false });
    // Only namespace rebuilds set the pace: a periodic full rebuild of a large estate must not make
    // the next single change wait seconds to be batched.
    if (dirty.every(([, scope]) => scope !== "all")) this.lastRebuildMs = performance.now() - started;
  }

  private place(record: SecretRecord): void {
    placeIn(this.placed, record);
  }

  private unplace(record: SecretRecord): void {
    const byNamespace = this.placed.get(record.cluster);
    const key = record.namespace ?? CLUSTER_SCOPED_NAMESPACE;
    const ids = byNamespace?.get(key);
    ids?.delete(record.id);
    if (ids?.size === 0) byNamespace?.delete(key);
  }

  private emit(event: InventoryEvent): void {
    if (event.type !== "cluster") this.listCache = undefined;
    for (const listener of this.listeners) listener(event);
  }

  /** What a cluster's records are built from besides its objects. */
  private recordContext(cluster: ClusterCache, status: ClusterStatus): RecordContext {
    const otherClusterKeys = new Map<string, string>();
    for (const other of this.clusters) {
      if (other === cluster) continue;
      for (const key of other.seenPublicKeys) otherClusterKeys.set(key, other.entry.name);
    }
    const controller = status.controller;
    return {
      cluster: cluster.entry.name,
      controller: controller ? { namespace: controller.namespace, name: controller.service } : null,
      controllerKeyBits: cluster.controllerKeyBits,
      currentKeySha256: controller?.certificate?.publicKeySha256 ?? null,
      seenKeySha256s: cluster.seenPublicKeys,
      activeKeyCount: controller?.keys.filter((k) => k.active).length ?? 0,
      otherClusterKeys,
      staleSince: status.state === "stale" ? status.since : null,
      now: new Date(),
    };
  }

  /** Rebuilds a cluster's records: all of them, or those in `scope` (see NAMESPACE_LOCAL_KINDS). */
  private rebuild(cluster: ClusterCache, scope: RebuildScope): void {
    const status = cluster.status();
    const name = cluster.entry.name;
    const { namespaces } = scope;
    const inScope = (namespace: string | null) =>
      namespace === null ? scope.clusterScoped : namespaces === null || namespaces.has(namespace);
    const snapshot =
      namespaces === null
        ? cluster.snapshot()
        : namespaces.size === 0
          ? clusterScopedSnapshot(cluster.snapshot())
          : namespaceSnapshot(cluster, namespaces);
    const fresh = buildSecretRecords(snapshot, this.recordContext(cluster, status));
    const seen = new Set<string>();
    for (const record of fresh) {
      if (!inScope(record.namespace)) continue;
      seen.add(record.id);
      const previous = this.records.get(record.id);
      // Compared with the record it replaces rather than a kept digest or JSON: nothing is kept twice.
      if (previous && sameJson(previous, record)) continue;
      this.records.set(record.id, record);
      if (!previous) this.place(record);
      this.emit({
        type: "upsert",
        revision: (this.revision = nextRevision(this.revision)),
        record,
        previous: previous ?? null,
      });
    }
    // A cluster that is stale or still connecting keeps its last records: stale beats empty.
    const placed = this.placed.get(name);
    if (status.state === "synced" && placed) {
      const keys =
        namespaces === null
          ? [...placed.keys()]
          : [...namespaces, ...(scope.clusterScoped ? [CLUSTER_SCOPED_NAMESPACE] : [])];
      for (const key of keys) {
        if (key === CLUSTER_SCOPED_NAMESPACE && !scope.clusterScoped) continue;
        for (const id of [...(placed.get(key) ?? [])]) {
          const record = this.records.get(id);
          if (seen.has(id) || !record) continue;
          this.records.delete(id);
          this.unplace(record);
          this.emit({
            type: "delete",
            revision: (this.revision = nextRevision(this.revision)),
            id,
            previous: record,
          });
        }
      }
    }
    this.emitClusterStatus(cluster, status);
  }

  /** Emits the cluster's status when it changed since the last one emitted. */
  private emitClusterStatus(cluster: ClusterCache, status = cluster.status()): void {
    const statusText = JSON.stringify(status);
    if (this.clusterStates.get(cluster.entry.name) === statusText) return;
    this.clusterStates.set(cluster.entry.name, statusText);
    this.emit({ type: "cluster", revision: (this.revision = nextRevision(this.revision)), cluster: status });
  }
}

/** Indexes a new record by cluster and namespace. */
function placeIn(placed: Map<string, Map<string, Set<string>>>, record: SecretRecord): void {
  let byNamespace = placed.get(record.cluster);
  if (!byNamespace) placed.set(record.cluster, (byNamespace = new Map()));
  const key = record.namespace ?? CLUSTER_SCOPED_NAMESPACE;
  let ids = byNamespace.get(key);
  if (!ids) byNamespace.set(key, (ids = new Set()));
  ids.add(record.id);
}

/**
 * Kinds whose objects only affect records of their own namespace: a change to one rebuilds that
 * namespace alone (milliseconds, where a full rebuild of a 30,000-record estate takes seconds). Changes
 * to the others (Argo CD Applications, cluster-wide stores and ClusterExternalSecrets), and a kind
 * relisting as a whole, rebuild the cluster. A ClusterExternalSecret's view of its targets in a
 * namespace catches up at the next sweep (at most CLOCK_REBUILD_MS later).
 */
const NAMESPACE_LOCAL_KINDS = new Set<WatchedKindKey>([
  "sealedSecrets",
  "externalSecrets",
  "secretStores",
  "pushSecrets",
  "deployments",
  "statefulSets",
  "daemonSets",
  "cronJobs",
  "secrets",
]);

/**
 * The snapshot restricted to `namespaces` for the namespace-local kinds, read per namespace from the
 * caches; cluster-wide context (cluster stores, Applications) kept whole.
 */
function namespaceSnapshot(cluster: ClusterCache, namespaces: ReadonlySet<string>): ClusterSnapshot {
  const { clusterExternalSecrets: _cluster, ...restricted } = cluster.snapshot({
    namespaces,
    kinds: NAMESPACE_LOCAL_KINDS,
  });
  return restricted;
}

/** What the cluster-scoped records need: everything but the namespaced records' own objects. */
function clusterScopedSnapshot(snapshot: ClusterSnapshot): ClusterSnapshot {
  const { sealedSecrets: _sealed, externalSecrets: _external, ...rest } = snapshot;
  return rest;
}

const globalForInventory = globalThis as unknown as { sealdeckInventory?: Inventory };

/**
 * The process's inventory, started on first use. Kept on globalThis so Next's hot reload does not
 * open a second set of watches on every edit.
 */
export function getInventory(): Inventory {
  if (!globalForInventory.sealdeckInventory) {
    const inventory = new Inventory(loadClusterRegistry());
    globalForInventory.sealdeckInventory = inventory;
    inventory.start();
    // "rotation.observed" audit events (issue 8): watches the same clusters.
    startRotationWatcher(inventory.clusters);
  }
  return globalForInventory.sealdeckInventory;
}

/** For tests: stop and forget the process inventory. */
export function resetInventory(): void {
  stopRotationWatcher();
  globalForInventory.sealdeckInventory?.stop();
  delete globalForInventory.sealdeckInventory;
}
