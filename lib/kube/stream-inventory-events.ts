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
    return { type: "upsert", resourceVersion: event.revision, record: event.record };
  if (event.type === "delete") return { type: "delete", resourceVersion: event.revision, id: event.id };
  return { type: "cluster", resourceVersion: event.revision, cluster: cluster(event.cluster) };
}

type Where = { cluster: string; namespace: string | null; kind: SecretKind };

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
 * filtered to what the viewer may see, with a heartbeat so proxies keep the connection open.
 */
export function streamInventoryEvents(
  inventory: Inventory,
  /** `visible` may answer later (an access review); events are still sent in revision order. */
  options: {
    visible: (where: Where) => boolean | Promise<boolean>;
    /** What this viewer may see of a cluster's status (its details need a grant there). */
    cluster: (status: ClusterStatus) => ClusterStatus;
    signal: AbortSignal;
  },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ resourceVersion: inventory.revision })}\n\n`);
      // Answers may be pending (an access review); events wait in line so revisions stay in order.
      let queue = Promise.resolve();
      const unsubscribe = inventory.subscribe((event) => {
        const where = locate(event);
        queue = queue
          .then(async () => {
            if (where && !(await options.visible(where))) return;
            const payload = toStreamEvent(event, options.cluster);
            send(
              `id: ${payload.resourceVersion}\nevent: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`,
            );
          })
          .catch(() => undefined);
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
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
