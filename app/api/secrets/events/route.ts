import { authorizedRoute } from "@/lib/auth/authorized-route";
import { canSeeRecord } from "@/lib/kube/filter-visible-records";
import { getInventory } from "@/lib/kube/inventory";
import { streamInventoryEvents } from "@/lib/kube/stream-inventory-events";

export const dynamic = "force-dynamic";

// GET /api/secrets/events – server-sent events of inventory changes, for the React Query cache
export const GET = authorizedRoute("inventory:read", async (request, { principal }) => {
  const stream = streamInventoryEvents(getInventory(), {
    visible: (cluster, namespace) => canSeeRecord(principal, cluster, namespace),
    signal: request.signal,
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});
