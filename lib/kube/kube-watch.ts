import "server-only";
import { createInterface } from "node:readline";
import { type KubeConfig, Watch } from "@kubernetes/client-node";
import { kubeRequest } from "./kube-request";
import type { KubeObject } from "./strip-object";

function isKubeObject(value: unknown): value is KubeObject {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { metadata?: unknown }).metadata === "object"
  );
}

type WatchCallback = (phase: string, apiObj: unknown, watchObj?: unknown) => void;
type DoneCallback = (err: unknown) => void;

/**
 * client-node's Watch with two changes the inventory needs: it goes through kubeRequest (so a
 * Secret watch carries the metadata-only Accept header, and traffic is observable in one place), and
 * it asks for BOOKMARKs so quiet collections keep a fresh resourceVersion.
 */
export class KubeWatch extends Watch {
  constructor(
    private readonly kc: KubeConfig,
    private readonly options: {
      cluster: string;
      accept?: string;
      inactivityTimeoutMs?: number;
      /** Applied to every watched object before the cache sees it (stripping at the border). */
      transform?: (object: KubeObject) => KubeObject;
    },
  ) {
    super(kc);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: DoneCallback,
  ): Promise<AbortController> {
    const query = new URLSearchParams({ watch: "true", allowWatchBookmarks: "true" });
    for (const [key, value] of Object.entries(queryParams))
      if (value !== undefined) query.set(key, String(value));
    const controller = new AbortController();
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      controller.abort();
      done(error);
    };
    // An API server that silently stops sending (half-open TCP) must not freeze the cache.
    const armTimer = () => {
      clearTimeout(timer);
      // Ending "normally" makes ListWatch resume from its resourceVersion (a real outage then
      // shows up as a failed reconnect).
      timer = setTimeout(() => finish(null), this.options.inactivityTimeoutMs ?? 90_000);
      timer.unref();
    };
    try {
      armTimer();
      const response = await kubeRequest(this.kc, `${path}?${query.toString()}`, {
        cluster: this.options.cluster,
        accept: this.options.accept,
        signal: controller.signal,
      });
      if (response.status !== 200) {
        response.discard();
        throw Object.assign(new Error(response.statusText || `HTTP ${response.status}`), {
          statusCode: response.status,
        });
      }
      armTimer();
      const body = response.stream;
      body.on("error", finish);
      body.on("close", () => finish(null));
      body.on("data", armTimer);
      const lines = createInterface(body);
      // readline re-emits the stream's errors (a reset connection) on the interface itself.
      lines.on("error", finish);
      lines.on("line", (line) => {
        if (!line.trim()) return;
        let event: { type?: unknown; object?: unknown };
        try {
          event = JSON.parse(line) as { type?: unknown; object?: unknown };
        } catch {
          return;
        }
        if (typeof event.type !== "string") return;
        const object =
          event.type !== "ERROR" && this.options.transform && isKubeObject(event.object)
            ? this.options.transform(event.object)
            : event.object;
        callback(event.type, object, event);
      });
      lines.on("close", () => finish(null));
    } catch (error) {
      finish(error);
    }
    return controller;
  }
}
