import "server-only";
import type { SecretStreamEvent } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";
import type { Inventory, InventoryEvent } from "./inventory";

const HEARTBEAT_MS = 15_000;

function toStreamEvent(event: InventoryEvent): SecretStreamEvent {
  if (event.type === "upsert")
    return { type: "upsert", resourceVersion: event.revision, record: event.record };
  if (event.type === "delete") return { type: "delete", resourceVersion: event.revision, id: event.id };
  return { type: "cluster", resourceVersion: event.revision, cluster: event.cluster };
}

function locate(event: InventoryEvent): { cluster: string; namespace: string | null } | null {
  if (event.type === "upsert") return event.record;
  if (event.type === "delete") {
    const [cluster = "", namespace = ""] = event.id.split("/");
    return { cluster, namespace: namespace === CLUSTER_SCOPED_NAMESPACE ? null : namespace };
  }
  return null;
}

/**
 * The inventory's changes as server-sent events (`event: upsert|delete|cluster`, `id:` the revision),
 * filtered to what the viewer may see, with a heartbeat so proxies keep the connection open.
 */
export function streamInventoryEvents(
  inventory: Inventory,
  options: { visible: (cluster: string, namespace: string | null) => boolean; signal: AbortSignal },
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
      const unsubscribe = inventory.subscribe((event) => {
        const where = locate(event);
        if (where && !options.visible(where.cluster, where.namespace)) return;
        const payload = toStreamEvent(event);
        send(`id: ${payload.resourceVersion}\nevent: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`);
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
