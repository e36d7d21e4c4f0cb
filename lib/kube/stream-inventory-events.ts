import "server-only";
import type { ClusterStatus } from "@/lib/validations/cluster-status";
import type { SecretStreamEvent } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE, type SecretKind, secretKinds } from "@/lib/validations/secret-record";
import type { Inventory, InventoryEvent } from "./inventory";

const HEARTBEAT_MS = 15_000;

function toStreamEvent(
  event: InventoryEvent,
  cluster: (status: ClusterStatus) => ClusterStatus,
): SecretStreamEvent {
  if (event.type === "upsert")
    return {
      type: "upsert",
      resourceVersion: event.revision,
      record: event.record,
      previous: event.previous,
    };
  if (event.type === "delete")
    return { type: "delete", resourceVersion: event.revision, id: event.id, previous: event.previous };
  return { type: "cluster", resourceVersion: event.revision, cluster: cluster(event.cluster) };
}

const frameOf = (payload: SecretStreamEvent) =>
  `id: ${payload.resourceVersion}\nevent: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;

// Where an event's encoded frame is kept, on the event itself: every open page that may see a record
// gets the same bytes, so they are made once per change, not once per page (at fifty open pages on a
// large estate the per-page JSON was most of the stream's cost). On the event rather than in a module-level
// cache, since Next bundles this module more than once and each bundle's subscribers share the events.
const SHARED_FRAME = Symbol.for("sealdeck.stream-frame");

/** The frame of a record change (the same for every viewer), encoded once and shared. */
function sharedFrame(event: InventoryEvent, encoder: TextEncoder): Uint8Array {
  const holder = event as InventoryEvent & { [SHARED_FRAME]?: Uint8Array };
  let frame = holder[SHARED_FRAME];
  if (!frame) {
    frame = encoder.encode(frameOf(toStreamEvent(event, (status) => status)));
    Object.defineProperty(holder, SHARED_FRAME, { value: frame, enumerable: false });
  }
  return frame;
}

type Where = { cluster: string; namespace: string | null; kind: SecretKind };

/** Whether the viewer may see a record there; may answer later (an access review). */
export type StreamFilter = (where: Where) => boolean | Promise<boolean>;

/**
 * Asks again who is watching: a filter built from the viewer's fresh session and grants, or null when the
 * session ended (signed out, revoked, expired) or no longer allows the stream. `wake` re-asks at once.
 */
export type StreamRecheck = {
  everyMs: number;
  access: () => Promise<StreamFilter | null>;
  wake?: (listener: () => void) => () => void;
};

function locate(event: InventoryEvent): Where | null {
  if (event.type === "upsert") return event.record;
  if (event.type === "delete") {
    const [cluster = "", namespace = "", kind = ""] = event.id.split("/");
    return {
      cluster,
      namespace: namespace === CLUSTER_SCOPED_NAMESPACE ? null : namespace,
      // An id that does not parse is treated as the most restricted kind: shown only to who sees all.
      kind: (secretKinds as readonly string[]).includes(kind)
        ? (kind as SecretKind)
        : "ClusterExternalSecret",
    };
  }
  return null;
}

/**
 * The inventory's changes as server-sent events (`event: upsert|delete|cluster`, `id:` the revision),
 * filtered to what the viewer may see, with a heartbeat so proxies keep the connection open. With
 * `recheck`, the viewer is checked again on a timer and on `wake`: the stream closes when the session or
 * the permission ends, and later events are filtered with the fresh grants.
 */
export function streamInventoryEvents(
  inventory: Inventory,
  /** `visible` may answer later (an access review); events are still sent in revision order. */
  options: {
    visible: StreamFilter;
    /** What this viewer may see of a cluster's status (its details need a grant there). */
    cluster: (status: ClusterStatus) => ClusterStatus;
    signal: AbortSignal;
    recheck?: StreamRecheck;
  },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let closed = false;
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const sendBytes = (bytes: Uint8Array) => {
        if (closed) return;
        try {
          controller.enqueue(bytes);
        } catch {
          cleanup();
        }
      };
      const send = (text: string) => sendBytes(encoder.encode(text));
      let visible = options.visible;
      send(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ resourceVersion: inventory.revision })}\n\n`);
      // Answers may be pending (an access review); events wait in line so revisions stay in order.
      let queue = Promise.resolve();
      const unsubscribe = inventory.subscribe((event) => {
        const where = locate(event);
        queue = queue
          .then(async () => {
            if (closed) return;
            if (where && !(await visible(where))) return;
            // A cluster's status depends on the viewer (its details need a grant there); a record does not.
            if (event.type === "cluster") send(frameOf(toStreamEvent(event, options.cluster)));
            else sendBytes(sharedFrame(event, encoder));
          })
          .catch(() => undefined);
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);

      // One re-check at a time; a wake during one runs another right after, so none is lost.
      let checking: Promise<void> | null = null;
      let again = false;
      const recheck = () => {
        const { recheck: policy } = options;
        if (!policy || closed) return;
        if (checking) {
          again = true;
          return;
        }
        checking = policy
          .access()
          // Fail closed: if the session cannot be read, the stream ends (the browser reconnects and signs in again).
          .catch(() => null)
          .then((fresh) => {
            if (fresh) visible = fresh;
            else cleanup();
          })
          .finally(() => {
            checking = null;
            if (again) {
              again = false;
              recheck();
            }
          });
      };
      const timer = options.recheck ? setInterval(recheck, options.recheck.everyMs) : undefined;
      const stopWaking = options.recheck?.wake?.(recheck) ?? (() => undefined);

      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearInterval(timer);
        stopWaking();
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      options.signal.addEventListener("abort", () => cleanup(), { once: true });
    },
    cancel() {
      cleanup();
    },
  });
}
