import { onAccessChange } from "@/lib/auth/access-changes";
import { authorize } from "@/lib/auth/authorize";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getRequestPrincipal } from "@/lib/auth/get-current-principal";
import type { Principal } from "@/lib/auth/principal";
import { getEnv } from "@/lib/config/env";
import { kubeRbacAllows } from "@/lib/kube/filter-by-kube-rbac";
import { canSeeRecord } from "@/lib/kube/filter-visible-records";
import { getInventory } from "@/lib/kube/inventory";
import { canSeeClusterDetails, hideClusterDetails } from "@/lib/kube/redact-cluster-details";
import { streamInventoryEvents, type StreamFilter } from "@/lib/kube/stream-inventory-events";

export const dynamic = "force-dynamic";

// Sealdeck's grants first; with impersonation on, the cluster's RBAC as well.
function filterFor(principal: Principal): StreamFilter {
  return (where) =>
    canSeeRecord(principal, where.cluster, where.namespace) && kubeRbacAllows(where, principal);
}

// GET /api/secrets/events – server-sent events of inventory changes, for the React Query cache
export const GET = authorizedRoute("inventory:read", async (request, { principal }) => {
  let viewer = principal;
  const stream = streamInventoryEvents(getInventory(), {
    visible: filterFor(principal),
    // A cluster's details (server, controller, keys) only to those with a grant there, as of the last re-check.
    cluster: (status) => (canSeeClusterDetails(viewer, status.name) ? status : hideClusterDetails(status)),
    signal: request.signal,
    // A stream outlives its request's authorization: the session and grants are read again on a timer
    // and whenever this server signs someone out or changes access, and the stream ends with them.
    recheck: {
      everyMs: getEnv().SEALDECK_STREAM_RECHECK_SECONDS * 1000,
      access: async () => {
        const fresh = await getRequestPrincipal(request);
        if (!fresh || fresh.userId !== principal.userId) return null;
        if (!authorize(fresh, "inventory:read").allowed) return null;
        viewer = fresh;
        return filterFor(fresh);
      },
      wake: onAccessChange,
    },
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
