import "server-only";
import { ApiError } from "./api-error";
import { convertToTable, toPartialObjectMetadata } from "./convert-to-table";
import type { KubeObject } from "./kube-object";
import { compileFieldSelector } from "./match-field-selector";
import { compileLabelSelector } from "./match-label-selector";
import { negotiateMediaType } from "./negotiate-media-type";
import type { StoreEvent, WatchEventType } from "./object-store";
import { asVersion } from "./render-object";
import type { RequestCall } from "./request-call";
import { apiVersionOf } from "./resource-kinds";

type EventType = WatchEventType | "BOOKMARK" | "ERROR";

// The watch cache sends a bookmark shortly before a watch's own timeout, so the client resumes from it.
const BOOKMARK_BEFORE_TIMEOUT_MS = 2_000;

/**
 * GET ...?watch=1: a chunked stream of JSON watch events. Without a resourceVersion (or "0") it starts
 * with a synthetic ADDED per existing object; with one it replays history after it, or sends one ERROR
 * event with a 410 Status when that history is gone (clients then relist), as the API server does.
 *
 * BOOKMARKs follow the real watch cache: only with `allowWatchBookmarks=true`, every bookmark period
 * and just before `timeoutSeconds` ends the watch, carrying the resourceVersion of the last event of
 * this kind, and only when that is newer than the watch's starting resourceVersion (so a kind without
 * events since the server started, or since the watch began, gets none: a quiet watch is silent).
 */
export function handleWatch(call: RequestCall) {
  const { request, response, url, kind, path, context } = call;
  const { store } = context;
  const form = negotiateMediaType(request.headers.accept, ["json", "metadata", "table"]);
  const labels = compileLabelSelector(url.searchParams.get("labelSelector"));
  const fields = compileFieldSelector(kind, url.searchParams.get("fieldSelector"));
  const namespace = kind.kind === "Namespace" ? undefined : path.namespace;
  const nameFilter = path.name;
  const matches = (o: KubeObject) =>
    (namespace === undefined || o.metadata.namespace === namespace) &&
    (nameFilter === undefined || o.metadata.name === nameFilter) &&
    labels(o.metadata.labels) &&
    fields(o);
  const includeObject = url.searchParams.get("includeObject");
  const rvParam = url.searchParams.get("resourceVersion") ?? "";
  const bookmarks = url.searchParams.get("allowWatchBookmarks") === "true";
  const timeoutSeconds = Number(url.searchParams.get("timeoutSeconds") ?? "0");

  let sentHeaders = false;
  const render = (object: KubeObject): unknown => {
    if (form.form === "metadata") return toPartialObjectMetadata(object, form.version);
    if (form.form === "table") {
      const table = convertToTable(kind, [asVersion(kind, object)], {
        version: form.version,
        includeObject,
        resourceVersion: object.metadata.resourceVersion,
        withHeaders: !sentHeaders,
      });
      sentHeaders = true;
      return table;
    }
    return asVersion(kind, object);
  };
  const delivered = new Set<string>();
  /** The resourceVersion the watch started from: only bookmarks newer than it are sent. */
  let startRv = 0;
  const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
  // Timers and store events can fire between end() and the response's "close"; nothing goes after end.
  const write = (type: EventType, object: unknown) => {
    if (!response.writableEnded) response.write(`${JSON.stringify({ type, object })}\n`);
  };
  const deliver = (event: Pick<StoreEvent, "type" | "object">) => {
    const key = keyOf(event.object);
    if (matches(event.object)) {
      if (event.type === "DELETED") delivered.delete(key);
      else delivered.add(key);
      write(event.type, render(event.object));
    } else if (delivered.has(key)) {
      // It stopped matching the selector: to this watcher it is gone.
      delivered.delete(key);
      write("DELETED", render(event.object));
    }
  };

  let replay: Pick<StoreEvent, "type" | "object">[];
  if (rvParam === "" || rvParam === "0") {
    replay = store.list(kind, namespace).map((object) => ({ type: "ADDED" as const, object }));
  } else {
    const rv = Number(rvParam);
    if (!Number.isInteger(rv)) throw new ApiError("BadRequest", `invalid resource version: ${rvParam}`);
    const since = store.eventsSince(rv, kind.storageKey);
    if (since === "expired") {
      response.writeHead(200, { "Content-Type": form.contentType, "Transfer-Encoding": "chunked" });
      const status = new ApiError(
        "Expired",
        `too old resource version: ${rv} (${store.oldestWatchableRv()})`,
      ).toStatus();
      write("ERROR", { ...status, reason: "Expired" });
      response.end();
      return;
    }
    replay = since;
    startRv = rv;
  }
  if (startRv === 0) startRv = store.currentRv();

  response.writeHead(200, {
    "Content-Type": form.contentType,
    "Transfer-Encoding": "chunked",
    "Cache-Control": "no-cache, private",
  });
  // Clients treat the watch as open once headers arrive; send them before any event exists.
  response.flushHeaders();
  for (const event of replay) deliver(event);
  const unsubscribe = store.subscribe((event) => {
    if (event.storageKey === kind.storageKey) deliver(event);
  });
  const bookmark = () => {
    const rv = store.lastEventRv(kind.storageKey);
    if (rv <= startRv) return;
    write("BOOKMARK", {
      kind: kind.kind,
      apiVersion: apiVersionOf(kind),
      metadata: { resourceVersion: String(rv) },
    });
  };
  const bookmarkTimer = bookmarks ? setInterval(bookmark, context.bookmarkIntervalMs) : undefined;
  const lastBookmarkTimer =
    bookmarks && timeoutSeconds * 1000 > BOOKMARK_BEFORE_TIMEOUT_MS
      ? setTimeout(bookmark, timeoutSeconds * 1000 - BOOKMARK_BEFORE_TIMEOUT_MS)
      : undefined;
  const timeoutTimer =
    timeoutSeconds > 0 ? setTimeout(() => response.end(), timeoutSeconds * 1000) : undefined;
  context.openWatches.add(response);
  const cleanup = () => {
    unsubscribe();
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (timeoutTimer) clearTimeout(timeoutTimer);
    if (lastBookmarkTimer) clearTimeout(lastBookmarkTimer);
    context.openWatches.delete(response);
  };
  response.on("close", cleanup);
  request.on("close", cleanup);
}
