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

/** client-go's reflector: a watch asks the server to end it after 5 to 10 minutes (spread out). */
const MIN_WATCH_TIMEOUT_S = 300;
export function watchTimeoutSeconds(random: () => number = Math.random): number {
  return Math.floor(MIN_WATCH_TIMEOUT_S * (1 + random()));
}
// A server that has not ended the watch this long after its own timeout is unreachable (half-open).
const DEADLINE_GRACE_MS = 30_000;

/**
 * client-node's Watch made to behave like client-go's reflector: it goes through kubeRequest (so a
 * Secret watch carries the metadata-only Accept header, the User-Agent and TCP keepalive, and
 * traffic is observable in one place), asks for BOOKMARKs, and lets the server end the watch after a
 * randomised `timeoutSeconds`. A quiet watch stays open: real servers send no bookmark for a kind that
 * has had no event, so silence is not a dead connection.
 */
export class KubeWatch extends Watch {
  constructor(
    private readonly kc: KubeConfig,
    private readonly options: {
      cluster: string;
      accept?: string;
      /** Test hook: the `timeoutSeconds` to ask for (default: randomised 300–600 s). */
      timeoutSeconds?: number;
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
    const timeoutSeconds = this.options.timeoutSeconds ?? watchTimeoutSeconds();
    const query = new URLSearchParams({
      watch: "true",
      allowWatchBookmarks: "true",
      timeoutSeconds: String(timeoutSeconds),
    });
    for (const [key, value] of Object.entries(queryParams))
      if (value !== undefined) query.set(key, String(value));
    const controller = new AbortController();
    let finished = false;
    const finish = (error: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      controller.abort();
      done(error);
    };
    // Ending "normally" makes ListWatch resume from its resourceVersion (a real outage then shows up
    // as a failed reconnect). Only reached when the server missed its own timeout.
    const deadline = setTimeout(() => finish(null), timeoutSeconds * 1000 + DEADLINE_GRACE_MS);
    deadline.unref();
    try {
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
      const body = response.stream;
      body.on("error", finish);
      body.on("close", () => finish(null));
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
        // The raw event is not passed on: it may hold what the transform dropped (last-applied data).
        callback(event.type, object, { type: event.type, object });
      });
      lines.on("close", () => finish(null));
    } catch (error) {
      finish(error);
    }
    return controller;
  }
}
