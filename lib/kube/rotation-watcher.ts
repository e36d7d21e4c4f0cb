import "server-only";
import { createHash } from "node:crypto";
import { type KubeConfig, type KubernetesObject, ListWatch } from "@kubernetes/client-node";
import type { Reencryption, ValueObservation } from "@/lib/audit/observe-rotations";
import { isReencryptedCiphertext } from "@/lib/sealing";
import { logger } from "@/lib/log/logger";
import type { ClusterSnapshot } from "./build-secret-records";
import { kubeErrorFrom, kubeRequest } from "./kube-request";
import { KubeWatch } from "./kube-watch";
import { normalizeExternalSecret } from "./normalize-external-secret";
import { obj } from "./read-json";
import { collectionPath, type WatchedKindKey, watchedKinds } from "./resource-kinds";
import type { KubeObject } from "./strip-object";

// Sees values change and reports them to observeValues (lib/audit/observe-rotations.ts), which decides
// in Postgres what is a baseline, what a rotation, and what was already recorded by another replica.
//
// - SealedSecrets: the inventory's cache keeps only the first bytes of each ciphertext, so this keeps a
//   list+watch of its own whose objects are reduced, at the border, to a SHA-256 per key of
//   spec.encryptedData (the ciphertext itself is dropped as soon as it is hashed). A key whose ciphertext
//   is exactly one listed by the `sealdeck.io/reencryption` marker is reported as a re-encryption.
// - ExternalSecrets: the target Secret's `reconcile.external-secrets.io/data-hash` annotation, read from
//   the inventory's metadata-only Secret cache whenever its Secrets or ExternalSecrets change.
//
// Each value is reported once per process (and again after a failed write); the first list after a
// start reports everything, which observeValues turns into baselines or into the changes made while
// Sealdeck was down.

export const DATA_HASH_ANNOTATION = "reconcile.external-secrets.io/data-hash";

/** What the watcher needs of a cluster: ClusterCache provides it. */
export type RotationSource = {
  readonly entry: { name: string };
  loadConfig(): KubeConfig;
  snapshot(): ClusterSnapshot;
  readonly kindListeners: Set<(key: WatchedKindKey) => void>;
};

export type RotationWatcherOptions = {
  /** Records observations (observeValues with the app's database); throws when it could not. */
  record: (observations: ValueObservation[]) => Promise<unknown>;
  /** Observations are gathered this long before a write (default 500 ms). */
  batchDelayMs?: number;
  /** Wait before retrying a failed write (default 5 s, doubling to 2 min). */
  retryMs?: number;
};

type HashedSealedSecret = {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
  /** key → hex SHA-256 of the ciphertext string as it appears in the manifest. */
  hashes: Record<string, string>;
  /** key → the key move, for the keys whose ciphertext is exactly one Sealdeck's re-encryption wrote. */
  reencrypted?: Record<string, Reencryption>;
};

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** A SealedSecret reduced to what a rotation needs: names and a hash per key, no ciphertext. */
export function hashSealedSecret(object: KubeObject): HashedSealedSecret {
  const hashes: Record<string, string> = {};
  const reencrypted: Record<string, Reencryption> = {};
  const annotations = obj(object.metadata?.annotations);
  for (const [key, value] of Object.entries(obj(obj(object.spec).encryptedData))) {
    if (typeof value !== "string") continue;
    hashes[key] = sha256(value);
    const marker = isReencryptedCiphertext(annotations, key, hashes[key]);
    if (marker) reencrypted[key] = { from: marker.from, to: marker.to };
  }
  const { name, namespace, uid, resourceVersion } = object.metadata ?? {};
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name, namespace, uid, resourceVersion },
    hashes,
    ...(Object.keys(reencrypted).length > 0 ? { reencrypted } : {}),
  };
}

/** The observations of one hashed SealedSecret: one per key. */
export function sealedSecretObservations(cluster: string, object: HashedSealedSecret): ValueObservation[] {
  const namespace = object.metadata.namespace ?? "";
  const name = object.metadata.name ?? "";
  return Object.entries(object.hashes).map(([key, valueHash]) => ({
    cluster,
    kind: "SealedSecret",
    namespace,
    name,
    key,
    valueHash,
    resourceVersion: object.metadata.resourceVersion ?? null,
    ...(object.reencrypted?.[key] ? { reencryption: object.reencrypted[key] } : {}),
  }));
}

/**
 * One observation per ExternalSecret whose target Secret carries a data-hash: the whole secret (key ""),
 * naming the ExternalSecret's key names. The data-hash is an unsalted hash of the Secret's data, so only
 * a domain-separated SHA-256 of it is kept.
 */
export function externalSecretObservations(cluster: string, snapshot: ClusterSnapshot): ValueObservation[] {
  if (!snapshot.secrets || !snapshot.externalSecrets) return [];
  const dataHashes = new Map<string, { hash: string; resourceVersion: string | null }>();
  for (const secret of snapshot.secrets) {
    const hash = secret.metadata.annotations?.[DATA_HASH_ANNOTATION];
    if (hash)
      dataHashes.set(`${secret.metadata.namespace}/${secret.metadata.name}`, {
        hash,
        resourceVersion: secret.metadata.resourceVersion ?? null,
      });
  }
  const observations: ValueObservation[] = [];
  for (const object of snapshot.externalSecrets) {
    const es = normalizeExternalSecret(object, new Map());
    const namespace = es.namespace ?? object.metadata.namespace ?? "";
    const target = dataHashes.get(`${namespace}/${es.targetName}`);
    if (!target) continue;
    observations.push({
      cluster,
      kind: "ExternalSecret",
      namespace,
      name: es.name,
      key: "",
      valueHash: sha256(`sealdeck.eso-data-hash.v1\u0000${target.hash}`),
      resourceVersion: target.resourceVersion,
      keys: es.keys,
    });
  }
  return observations;
}

const identity = (o: ValueObservation) => [o.cluster, o.kind, o.namespace, o.name, o.key].join("\u0000");

/** A list+watch of one cluster's SealedSecrets, reduced to hashes; restarts itself with backoff. */
class SealedSecretHashWatch {
  private informer: ListWatch<KubernetesObject> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly source: RotationSource,
    private readonly onObject: (object: HashedSealedSecret) => void,
    private readonly onDelete: (object: HashedSealedSecret) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    void this.informer?.stop();
    this.informer = null;
  }

  private connect(): void {
    if (this.stopped) return;
    const cluster = this.source.entry.name;
    let kc: KubeConfig;
    try {
      kc = this.source.loadConfig();
    } catch (error) {
      this.fail(error);
      return;
    }
    const kind = watchedKinds.find((k) => k.key === "sealedSecrets")!;
    const path = collectionPath(kind, kind.versions[0]!);
    const transform = (object: KubeObject) => hashSealedSecret(object) as unknown as KubeObject;
    const watch = new KubeWatch(kc, { cluster, transform });
    const informer: ListWatch<KubernetesObject> = new ListWatch<KubernetesObject>(
      path,
      watch,
      async () => {
        const items: KubeObject[] = [];
        let resourceVersion = "";
        let next: string | undefined;
        do {
          const query = new URLSearchParams({ limit: "500" });
          if (next) query.set("continue", next);
          const response = await kubeRequest(kc, `${path}?${query.toString()}`, { cluster });
          if (!response.ok) {
            const error = await kubeErrorFrom(response, { cluster });
            throw Object.assign(error, { statusCode: response.status });
          }
          const page = await response.json<{
            metadata?: { resourceVersion?: string; continue?: string };
            items?: KubeObject[];
          }>();
          for (const item of page.items ?? []) items.push(transform(item));
          resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
          next = page.metadata?.continue || undefined;
        } while (next);
        this.attempts = 0;
        return { metadata: { resourceVersion }, items: items as unknown as KubernetesObject[] };
      },
      false,
    );
    const seen = (object: KubernetesObject) => {
      if (informer === this.informer) this.onObject(object as unknown as HashedSealedSecret);
    };
    informer.on("add", seen);
    informer.on("update", seen);
    informer.on("delete", (object: KubernetesObject) => {
      if (informer === this.informer) this.onDelete(object as unknown as HashedSealedSecret);
    });
    informer.on("error", (error: unknown) => {
      if (informer === this.informer) this.fail(error);
    });
    this.informer = informer;
    void informer.start();
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    void this.informer?.stop();
    this.informer = null;
    const status = (error as { statusCode?: number } | null)?.statusCode;
    logger.debug({ err: error, cluster: this.source.entry.name }, "sealed secret hash watch failed");
    // No SealedSecret CRD (404) or no permission (403): look again now and then, not in a tight loop.
    const ceiling = status === 403 || status === 404 ? 300_000 : 15_000;
    const delay = Math.min(ceiling, 500 * 2 ** this.attempts++);
    this.timer = setTimeout(() => this.connect(), delay);
    this.timer.unref();
  }
}

/**
 * Watches every cluster of the inventory for changed values and reports them, in batches, to
 * `record`. One per process; several replicas each run one (observeValues keeps it exactly once).
 */
export class RotationWatcher {
  /** identity → the value hash last recorded (or confirmed known) by this process. */
  private recorded = new Map<string, string>();
  /** identity → the newest observation not recorded yet. */
  private pending = new Map<string, ValueObservation>();
  private watches: SealedSecretHashWatch[] = [];
  private unsubscribers: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing = false;
  private failures = 0;
  private stopped = true;

  constructor(
    private readonly sources: readonly RotationSource[],
    private readonly options: RotationWatcherOptions,
  ) {}

  start(): void {
    this.stopped = false;
    for (const source of this.sources) {
      const cluster = source.entry.name;
      const watch = new SealedSecretHashWatch(
        source,
        (object) => this.observe(sealedSecretObservations(cluster, object)),
        (object) => this.forget(sealedSecretObservations(cluster, object)),
      );
      this.watches.push(watch);
      watch.start();
      let scheduled: NodeJS.Timeout | undefined;
      const listener = (key: WatchedKindKey) => {
        if (key !== "secrets" && key !== "externalSecrets") return;
        // Coalesce a burst of changes into one pass over the snapshot.
        if (scheduled) return;
        scheduled = setTimeout(() => {
          scheduled = undefined;
          if (this.stopped) return;
          const snapshot = source.snapshot();
          const observations = externalSecretObservations(cluster, snapshot);
          // A complete pass: ExternalSecrets (or data-hashes) that are gone need no memory.
          if (snapshot.secrets && snapshot.externalSecrets)
            this.forgetOthers(cluster, "ExternalSecret", observations);
          this.observe(observations);
        }, this.options.batchDelayMs ?? 500);
        scheduled.unref();
      };
      source.kindListeners.add(listener);
      this.unsubscribers.push(() => {
        clearTimeout(scheduled);
        source.kindListeners.delete(listener);
      });
      // The caches may have listed already.
      listener("secrets");
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const watch of this.watches) watch.stop();
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.watches = [];
    this.unsubscribers = [];
  }

  /** The hash this process last recorded for a key (tests wait on it). */
  recordedHash(
    o: Pick<ValueObservation, "cluster" | "kind" | "namespace" | "name" | "key">,
  ): string | undefined {
    return this.recorded.get(identity(o as ValueObservation));
  }

  /** Observations waiting for a (re)try. */
  get backlog(): number {
    return this.pending.size;
  }

  /** A deleted object's values: nothing to remember (a re-created one is looked up again). */
  private forget(observations: ValueObservation[]): void {
    for (const o of observations) {
      this.recorded.delete(identity(o));
      this.pending.delete(identity(o));
    }
  }

  private forgetOthers(cluster: string, kind: ValueObservation["kind"], current: ValueObservation[]): void {
    const keep = new Set(current.map(identity));
    const prefix = `${cluster}\u0000${kind}\u0000`;
    for (const id of this.recorded.keys())
      if (id.startsWith(prefix) && !keep.has(id)) this.recorded.delete(id);
  }

  private observe(observations: ValueObservation[]): void {
    for (const o of observations) {
      const id = identity(o);
      if (this.recorded.get(id) === o.valueHash) {
        this.pending.delete(id);
        continue;
      }
      this.pending.set(id, o);
    }
    if (this.pending.size > 0) this.schedule(this.options.batchDelayMs ?? 500);
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    if (this.stopped || this.writing || this.pending.size === 0) return;
    this.writing = true;
    const batch = [...this.pending.values()];
    let delay = this.options.batchDelayMs ?? 500;
    try {
      await this.options.record(batch);
      this.failures = 0;
      for (const o of batch) {
        const id = identity(o);
        this.recorded.set(id, o.valueHash);
        // A newer value that arrived during the write stays pending.
        if (this.pending.get(id) === o) this.pending.delete(id);
      }
    } catch (error) {
      // Fail closed: nothing is marked recorded, so the same observations are tried again.
      this.failures += 1;
      delay = Math.min(120_000, (this.options.retryMs ?? 5_000) * 2 ** (this.failures - 1));
      logger.warn({ err: error, observations: batch.length }, "rotation observations not recorded; retrying");
    } finally {
      this.writing = false;
    }
    if (this.pending.size > 0) this.schedule(delay);
  }
}
