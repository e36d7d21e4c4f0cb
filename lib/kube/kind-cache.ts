import "server-only";
import { type KubeConfig, type KubernetesObject, ListWatch } from "@kubernetes/client-node";
import { kubeErrorFrom, kubeRequest } from "./kube-request";
import { KubeWatch } from "./kube-watch";
import { reviewOwnAccess } from "./review-own-access";
import {
  collectionPath,
  METADATA_LIST_ACCEPT,
  METADATA_WATCH_ACCEPT,
  type WatchedKind,
} from "./resource-kinds";
import { internObject, type StringPool } from "./string-pool";
import { type KubeObject, secretMetadataOnly, shrinkSealedSecret, stripObject } from "./strip-object";

export type KindCacheState = {
  state: "connecting" | "synced" | "error";
  /** When the current error state began (kept across retries, so "stale since" is honest). */
  errorSince: Date | null;
  lastError: string | null;
  /** HTTP status of the last failure, when there was one. */
  lastStatus: number | null;
  /**
   * A 403 taken as a real lack of rights: it outlasted the transient window, or (for a kind never
   * listed) Sealdeck's own SelfSubjectAccessReview says no. Until then a 403 is an outage (stale data).
   */
  forbidden: boolean;
  lastSyncedAt: Date | null;
};

type KubeList = { metadata?: { resourceVersion?: string; continue?: string }; items?: KubeObject[] };

// kubectl's and client-go's page size: each page's JSON is parsed and dropped before the next arrives,
// so a 10,000-object kind never sits in memory as one response string and one parsed tree.
export const LIST_PAGE_SIZE = 500;
// A continue token expires when the server compacts past it (410 Expired): the list starts again from
// the first page, as client-go's pager falls back to a full list. Bounded, so churn cannot loop forever.
const MAX_LIST_RESTARTS = 3;
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;
// A starting API server answers 403 until its authorizer's caches sync, and a webhook authorizer
// fails closed while it is unreachable: retry such 403s quickly, and believe them only after this.
const TRANSIENT_FORBIDDEN_MS = 30_000;
const MAX_TRANSIENT_BACKOFF_MS = 2_000;

/**
 * List + watch of one kind in one cluster. client-node's ListWatch relists on 410 and resumes
 * after a server-side close; on any other failure it stops, so this class starts a fresh one with
 * backoff. Until the new one has listed, the old one's objects keep serving reads (stale).
 */
export class KindCache {
  private serving: ListWatch<KubernetesObject> | null = null;
  private pending: ListWatch<KubernetesObject> | null = null;
  /** The informer whose failures count; stopped ones report their own abort, which is ignored. */
  private live: ListWatch<KubernetesObject> | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;
  /** Listed successfully at least once: a later 403 is not proof of missing rights. */
  private listedBefore = false;
  /** When the current run of 403s began (null: the last failure was not a 403). */
  private forbiddenStreakSince: number | null = null;
  private reviewing = false;
  /** The streak (by its start) whose first 403 has already been reviewed. */
  private reviewedStreak: number | null = null;
  readonly status: KindCacheState = {
    state: "connecting",
    errorSince: null,
    lastError: null,
    lastStatus: null,
    forbidden: false,
    lastSyncedAt: null,
  };

  constructor(
    readonly kind: WatchedKind,
    readonly version: string,
    private readonly options: {
      cluster: string;
      loadConfig: () => KubeConfig;
      /** `namespace`: the changed object's (null when cluster-scoped); absent when the whole kind changed. */
      onChange: (namespace?: string | null) => void;
      /** Test hook: how long 403s are retried as transient (default 30 s). */
      transientForbiddenMs?: number;
      /** Test hook: the watch's `timeoutSeconds` (default randomised, see kube-watch). */
      watchTimeoutSeconds?: number;
      /** Repeated strings of the cached objects are kept once here (shared by the inventory's caches). */
      strings?: StringPool;
    },
  ) {}

  /** What the cache keeps of each object: stripped at the border, Secrets as metadata only. */
  private get transform(): (object: KubeObject) => KubeObject {
    const strip = this.kind.metadataOnly
      ? secretMetadataOnly
      : this.kind.key === "sealedSecrets"
        ? shrinkSealedSecret
        : stripObject;
    const pool = this.options.strings;
    return pool ? (object) => internObject(pool, strip(object)) : strip;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Every object, or one namespace's (ListWatch keeps them by namespace, so that costs no scan). */
  list(namespace?: string): readonly KubeObject[] {
    // client-node types timestamps as Date, but ListWatch stores the JSON it was given: our
    // stripped objects, with ISO strings. This is the one place that view is restored.
    if (namespace === undefined) return (this.serving?.list() ?? []) as unknown as readonly KubeObject[];
    // ListWatch.list("") means "all namespaces": cluster-scoped objects have none to ask for.
    if (namespace === "") return [];
    return (this.serving?.list(namespace) ?? []) as unknown as readonly KubeObject[];
  }

  stop(): void {
    this.stopped = true;
    this.live = null;
    clearTimeout(this.retryTimer);
    void this.pending?.stop();
    void this.serving?.stop();
  }

  private connect(): void {
    if (this.stopped) return;
    // Re-read the kubeconfig each time: a restarted cluster may come back with new tokens or a new CA.
    let kc: KubeConfig;
    try {
      kc = this.options.loadConfig();
    } catch (error) {
      this.fail(error, null);
      return;
    }
    const path = collectionPath(this.kind, this.version);
    const cluster = this.options.cluster;
    const metadataOnly = this.kind.metadataOnly === true;
    const watch = new KubeWatch(kc, {
      cluster,
      accept: metadataOnly ? METADATA_WATCH_ACCEPT : undefined,
      transform: this.transform,
      timeoutSeconds: this.options.watchTimeoutSeconds,
    });
    const informer: ListWatch<KubernetesObject> = new ListWatch<KubernetesObject>(
      path,
      watch,
      () => this.listAll(kc, path, informer),
      false,
    );
    const changed = (object: KubernetesObject) => {
      if (informer === this.serving) this.options.onChange(object.metadata?.namespace ?? null);
    };
    informer.on("add", changed);
    informer.on("update", changed);
    informer.on("delete", changed);
    informer.on("error", (error: unknown) => {
      if (this.stopped || informer !== this.live) return;
      const status = (error as { statusCode?: number } | null)?.statusCode ?? null;
      this.fail(error, status);
    });
    this.pending = informer;
    this.live = informer;
    void informer.start();
  }

  /** Lists page by page; Secrets as PartialObjectMetadataList only. */
  private async listAll(
    kc: KubeConfig,
    path: string,
    informer: ListWatch<KubernetesObject>,
  ): Promise<{ metadata: { resourceVersion: string }; items: KubernetesObject[] }> {
    let items: KubeObject[] = [];
    let resourceVersion = "";
    let next: string | undefined;
    let restarts = 0;
    for (;;) {
      const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
      if (next) query.set("continue", next);
      const response = await kubeRequest(kc, `${path}?${query.toString()}`, {
        cluster: this.options.cluster,
        accept: this.kind.metadataOnly ? METADATA_LIST_ACCEPT : undefined,
      });
      if (response.status === 410 && next && restarts < MAX_LIST_RESTARTS) {
        response.discard();
        restarts += 1;
        items = [];
        resourceVersion = "";
        next = undefined;
        continue;
      }
      if (!response.ok) {
        const error = await kubeErrorFrom(response, { cluster: this.options.cluster });
        throw Object.assign(error, { statusCode: response.status });
      }
      const page = await response.json<KubeList>();
      for (const item of page.items ?? []) items.push(this.transform(item));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      next = page.metadata?.continue || undefined;
      if (!next) break;
    }
    // ListWatch fills its store right after this resolves; promote it to serving once that is done.
    setImmediate(() => this.promote(informer));
    return { metadata: { resourceVersion }, items: items as unknown as KubernetesObject[] };
  }

  private promote(informer: ListWatch<KubernetesObject>): void {
    if (this.stopped || informer !== this.pending) return;
    const previous = this.serving;
    this.serving = informer;
    this.pending = null;
    if (previous && previous !== informer) void previous.stop();
    this.attempts = 0;
    this.listedBefore = true;
    this.forbiddenStreakSince = null;
    Object.assign(this.status, {
      state: "synced",
      errorSince: null,
      lastError: null,
      lastStatus: null,
      forbidden: false,
      lastSyncedAt: new Date(),
    });
    this.options.onChange();
  }

  private fail(error: unknown, statusCode: number | null): void {
    if (this.stopped) return;
    this.live = null;
    void this.pending?.stop();
    this.pending = null;
    if (this.serving) {
      // The serving informer stopped itself on this error; its objects stay readable as stale data.
      void this.serving.stop();
    }
    const message = error instanceof Error ? error.message : String(error);
    const now = Date.now();
    if (statusCode === 403) this.forbiddenStreakSince ??= now;
    else this.forbiddenStreakSince = null;
    Object.assign(this.status, {
      state: "error",
      errorSince: this.status.errorSince ?? new Date(),
      lastError: message,
      lastStatus: statusCode,
      // Stays forbidden while the 403s continue; anything else ends the verdict.
      forbidden: statusCode === 403 && this.status.forbidden,
    });
    if (statusCode === 403 && !this.status.forbidden) void this.judgeForbidden(now);
    this.options.onChange();
    const transient = statusCode === 403 && !this.status.forbidden;
    const delay = transient
      ? Math.min(MAX_TRANSIENT_BACKOFF_MS, 250 * 2 ** this.attempts)
      : Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** this.attempts);
    this.attempts += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.retryTimer.unref();
  }

  /**
   * Decides whether a run of 403s means Sealdeck lacks the right. A kind it has listed before: only
   * when the 403s outlast the window (a review would be refused by a starting authorizer too), then
   * confirmed by a review. A kind never listed: its own SelfSubjectAccessReview decides at once.
   */
  private async judgeForbidden(now: number): Promise<void> {
    const since = this.forbiddenStreakSince;
    if (this.reviewing || since === null) return;
    const window = this.options.transientForbiddenMs ?? TRANSIENT_FORBIDDEN_MS;
    const persisted = now - since >= window;
    const firstOfNeverListed = !this.listedBefore && this.reviewedStreak !== since;
    if (!firstOfNeverListed && !persisted) return;
    this.reviewedStreak = since;
    this.reviewing = true;
    let allowed: boolean | null;
    try {
      allowed = await reviewOwnAccess(this.options.loadConfig(), this.options.cluster, {
        verb: "list",
        group: this.kind.group,
        resource: this.kind.plural,
      });
    } catch {
      // The review itself was refused or failed: only persistence can decide.
      allowed = null;
    } finally {
      this.reviewing = false;
    }
    if (this.stopped || this.forbiddenStreakSince !== since || this.status.lastStatus !== 403) return;
    if (allowed === true) {
      // The account has the right, so the 403s are the authorizer's: keep retrying as an outage,
      // and ask again only after another window.
      this.forbiddenStreakSince = this.reviewedStreak = Date.now();
      return;
    }
    if (allowed === null && !persisted) return;
    if (this.status.forbidden) return;
    this.status.forbidden = true;
    this.options.onChange();
  }
}
