import "server-only";
import type { Principal } from "@/lib/auth/principal";
import type { KubeConfig } from "@kubernetes/client-node";
import { getEnv } from "@/lib/config/env";
import { logger } from "@/lib/log/logger";
import { clusterPresentation, readKeyRenewalDays } from "@/lib/settings/read-cluster-settings";
import type { ClusterStatus, ClusterWarning, ControllerInfo } from "@/lib/validations/cluster-status";
import type { ClusterSnapshot } from "./build-secret-records";
import { loadControllerMemory, saveControllerMemory } from "./controller-memory";
import { discoverSealingController, type SealingControllerRef } from "./discover-sealing-controller";
import { discoverServedKinds } from "./discover-served-kinds";
import { evaluateControllerWarnings, type SealingKeyPolicy } from "./evaluate-controller-warnings";
import { effectiveKeyRenewalDays } from "./evaluate-sealing-key-freshness";
import { fetchControllerCertificate } from "./fetch-controller-certificate";
import { KindCache } from "./kind-cache";
import type { StringPool } from "./string-pool";
import { listSealingKeys } from "./list-sealing-keys";
import type { ClusterEntry } from "./load-cluster-registry";
import type { WatchedKindKey } from "./resource-kinds";
import type { KubeObject } from "./strip-object";
import { type KubeAccess, kubeIdentityFor, ownAccess } from "./kube-identity";

/** One object of `kind` changed in `namespace` (null: a cluster-scoped object). */
export type ObjectChange = { kind: WatchedKindKey; namespace: string | null };

// Read when scheduled, not at import: a bad environment must surface at start (instrumentation), not here.
const controllerRefreshMs = () => getEnv().SEALDECK_CONTROLLER_REFRESH_SECONDS * 1000;

/** Everything Sealdeck caches about one cluster: its kinds, its sealing controller, its warnings. */
export class ClusterCache {
  private kinds = new Map<WatchedKindKey, KindCache>();
  private discovered = false;
  private discoveryError: { since: Date; message: string } | null = null;
  private discoveryAttempts = 0;
  private timers = new Set<NodeJS.Timeout>();
  private controllerStarted = false;
  private controllerChecked = false;
  private stopped = false;
  private controllerRef: SealingControllerRef | null = null;
  controller: ControllerInfo | null = null;
  controllerKeyBits: number | null = null;
  seenPublicKeys: string[] = [];
  warnings: ClusterWarning[] = [];
  /** The keys' namespace and renewal period as of the last controller refresh (null: no controller). */
  keyPolicy: SealingKeyPolicy | null = null;

  constructor(
    readonly entry: ClusterEntry,
    /** `change` names the kind and namespace when one object changed; absent: anything may have. */
    private readonly onChange: (change?: ObjectChange) => void,
    /** Each kind cache's string pool; test hooks: its 403 window and watch timeout (see KindCache). */
    private readonly tuning: {
      transientForbiddenMs?: number;
      watchTimeoutSeconds?: number;
      strings?: StringPool;
    } = {},
  ) {}

  start(): void {
    this.stopped = false;
    void this.discover();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const cache of this.kinds.values()) cache.stop();
  }

  loadConfig(): KubeConfig {
    return this.entry.load();
  }

  /** The credentials to act for `principal` with: Sealdeck's own, or impersonating them (SEALDECK_KUBE_ACCESS). */
  accessFor(principal: Principal): KubeAccess {
    return { kc: this.loadConfig(), as: kubeIdentityFor(principal) };
  }

  /**
   * The cached objects of every kind; with `namespaces`, only theirs for the kinds `restrict` names
   * (looked up per namespace, so a one-namespace rebuild does not scan a 100,000-object cache).
   */
  snapshot(restrict?: {
    namespaces: ReadonlySet<string>;
    kinds: ReadonlySet<WatchedKindKey>;
  }): ClusterSnapshot {
    const snapshot: ClusterSnapshot = {};
    for (const [key, cache] of this.kinds) {
      // A kind that never listed (e.g. forbidden) stays undefined: "unknown", not "empty".
      if (!cache.status.lastSyncedAt) continue;
      if (!restrict?.kinds.has(key)) snapshot[key] = cache.list();
      else snapshot[key] = [...restrict.namespaces].flatMap((namespace) => cache.list(namespace));
    }
    return snapshot;
  }

  /** One kind's cached objects (none while it has not listed). */
  objects(key: WatchedKindKey): readonly KubeObject[] {
    return this.kinds.get(key)?.list() ?? [];
  }

  /**
   * Whether `key` has listed and its watch has no error now, so an object absent from it is really gone
   * (not merely unlisted yet, forbidden, or behind an outage).
   */
  listed(key: WatchedKindKey): boolean {
    const status = this.kinds.get(key)?.status;
    return status?.state === "synced" && !status.forbidden;
  }

  /** True once every kind has listed once or failed; the API waits for this on first use. */
  settled(): boolean {
    if (this.discoveryError) return true;
    if (!this.discovered) return false;
    // The controller's key size and certificate feed the unseal diagnosis; wait for the first look.
    return this.controllerChecked && [...this.kinds.values()].every((k) => k.status.state !== "connecting");
  }

  status(): ClusterStatus {
    const errors = [...this.kinds.values()].filter(
      // A 403 not (yet) judged a lack of rights is an outage like any other: the data is stale.
      (k) => k.status.state === "error" && !k.status.forbidden && k.status.lastStatus !== 404,
    );
    let state: ClusterStatus["state"] = "synced";
    let since: Date | null = null;
    let message: string | null = null;
    if (this.discoveryError) {
      state = "stale";
      since = this.discoveryError.since;
      message = this.discoveryError.message;
    } else if (errors.length > 0) {
      state = "stale";
      since =
        errors.map((k) => k.status.errorSince ?? new Date()).sort((a, b) => a.getTime() - b.getTime())[0] ??
        null;
      message = errors[0]?.status.lastError ?? null;
    } else if (!this.settled()) {
      state = "connecting";
    }
    return {
      name: this.entry.name,
      ...clusterPresentation(this.entry.name),
      server: this.entry.server,
      sandbox: this.entry.sandbox,
      state,
      since: since?.toISOString() ?? null,
      message,
      externalSecretsVersion: this.kinds.get("externalSecrets")?.version ?? null,
      controller: this.controller,
    };
  }

  /** Settings changed the controller override: discover it again at the next refresh. */
  forgetController(): void {
    this.controllerRef = null;
  }

  forbiddenKinds(): string[] {
    return [...this.kinds.values()].filter((k) => k.status.forbidden).map((k) => k.kind.kind);
  }

  private schedule(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async discover(): Promise<void> {
    if (this.stopped) return;
    try {
      const served = await discoverServedKinds(this.loadConfig(), this.entry.name);
      // Stopped while discovery was in flight: starting watches now would outlive the cache.
      if (this.stopped) return;
      this.discovered = true;
      this.discoveryError = null;
      for (const { kind, version } of served) {
        const cache = new KindCache(kind, version, {
          cluster: this.entry.name,
          loadConfig: () => this.loadConfig(),
          onChange: (namespace) => this.kindChanged(kind.key, namespace),
          ...this.tuning,
        });
        this.kinds.set(kind.key, cache);
        cache.start();
      }
      this.onChange();
      // The key list comes from the Secret cache; without it the first baseline would miss every key.
      this.schedule(() => this.startController(), 10_000);
    } catch (error) {
      this.discoveryError = {
        since: this.discoveryError?.since ?? new Date(),
        message: error instanceof Error ? error.message : String(error),
      };
      this.onChange();
      const delay = Math.min(15_000, 500 * 2 ** this.discoveryAttempts++);
      this.schedule(() => void this.discover(), delay);
    }
  }

  /** Told which kind's objects changed (lib/kube/rotation-watcher.ts reads the snapshot then). */
  readonly kindListeners = new Set<(key: WatchedKindKey) => void>();

  private kindChanged(key: WatchedKindKey, namespace?: string | null): void {
    this.onChange(namespace === undefined ? undefined : { kind: key, namespace });
    for (const listener of this.kindListeners) listener(key);
    if (key === "secrets" && this.kinds.get("secrets")?.status.lastSyncedAt) this.startController();
  }

  private startController(): void {
    if (this.controllerStarted) return;
    this.controllerStarted = true;
    void this.refreshController();
  }

  private controllerState(): string {
    return JSON.stringify([this.controller, this.warnings, this.seenPublicKeys, this.controllerKeyBits]);
  }

  /** Finds the controller, reads its certificate and keys, and updates the warnings. */
  async refreshController(): Promise<void> {
    if (this.stopped) return;
    const cluster = this.entry.name;
    const before = this.controllerState();
    try {
      const kc = this.loadConfig();
      this.controllerRef ??= await discoverSealingController(kc, cluster);
      const ref = this.controllerRef;
      if (!ref) {
        this.controller = null;
        this.keyPolicy = null;
        this.warnings = [
          {
            cluster,
            code: "controller-missing",
            message:
              "No sealed-secrets controller found (kube-system/sealed-secrets-controller or a service labelled app.kubernetes.io/name=sealed-secrets).",
          },
        ];
      } else {
        const keys = listSealingKeys(this.kinds.get("secrets")?.list() ?? [], ref.namespace);
        let certificate: ControllerInfo["certificate"] = null;
        let error: string | null = null;
        let current: { fingerprintSha256: string; publicKeySha256: string; notAfter: Date } | null = null;
        try {
          const { info } = await fetchControllerCertificate(ownAccess(kc), cluster, ref);
          current = info;
          this.controllerKeyBits = info.modulusBits;
          certificate = {
            fingerprintSha256: info.fingerprintSha256,
            publicKeySha256: info.publicKeySha256,
            notAfter: info.notAfter.toISOString(),
            expired: info.notAfter.getTime() < Date.now(),
            modulusBits: info.modulusBits,
          };
        } catch (cause) {
          error = cause instanceof Error ? cause.message : String(cause);
        }
        this.keyPolicy = {
          namespace: ref.namespace,
          renewalDays: effectiveKeyRenewalDays(await readKeyRenewalDays(cluster)),
        };
        const evaluated = evaluateControllerWarnings(
          cluster,
          await loadControllerMemory(cluster),
          current,
          keys,
          new Date(),
          this.keyPolicy,
        );
        await saveControllerMemory(cluster, evaluated.memory);
        this.seenPublicKeys = evaluated.memory.seenPublicKeys;
        this.warnings = evaluated.warnings;
        this.controller = {
          namespace: ref.namespace,
          service: ref.service,
          port: ref.port,
          url: ref.url ?? null,
          certificate,
          error,
          keys,
        };
      }
      // Records depend on the controller (diagnosis, keys seen), so a change rebuilds them all; an
      // unchanged refresh, the usual minute, must not make the inventory rebuild 30,000 records.
      if (this.controllerState() !== before) this.onChange();
    } catch (error) {
      logger.debug({ err: error, cluster }, "sealing controller refresh failed");
    } finally {
      this.controllerChecked = true;
      this.schedule(() => void this.refreshController(), controllerRefreshMs());
    }
  }
}
