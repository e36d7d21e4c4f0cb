import { authorizedRoute } from "@/lib/auth/authorized-route";
import { kubeRbacAllows } from "@/lib/kube/filter-by-kube-rbac";
import { canSeeRecord } from "@/lib/kube/filter-visible-records";
import { getInventory } from "@/lib/kube/inventory";
import { canSeeClusterDetails, hideClusterDetails } from "@/lib/kube/redact-cluster-details";
import { streamInventoryEvents } from "@/lib/kube/stream-inventory-events";

export const dynamic = "force-dynamic";

// GET /api/secrets/events – server-sent events of inventory changes, for the React Query cache
export const GET = authorizedRoute("inventory:read", async (request, { principal }) => {
  const stream = streamInventoryEvents(getInventory(), {
    // Sealdeck's grants first; with impersonation on, the cluster's RBAC as well.
    visible: (where) =>
      canSeeRecord(principal, where.cluster, where.namespace) && kubeRbacAllows(where, principal),
    // A cluster's details (server, controller, keys) only to those with a grant there.
    cluster: (status) => (canSeeClusterDetails(principal, status.name) ? status : hideClusterDetails(status)),
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
