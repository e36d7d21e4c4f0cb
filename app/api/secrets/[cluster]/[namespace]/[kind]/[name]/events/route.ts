import { authorizedRoute } from "@/lib/auth/authorized-route";
import { kubeRbacAllows } from "@/lib/kube/filter-by-kube-rbac";
import { getSecretEvents } from "@/lib/kube/get-secret-events";
import { serverTiming } from "@/lib/metrics/server-timing";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";
import { secretRouteParamsSchema } from "@/lib/validations/secret-list-query";

export const dynamic = "force-dynamic";

type Params = { cluster: string; namespace: string; kind: string; name: string };

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/events – the secret's recent Kubernetes Events
export const GET = authorizedRoute<Params>(
  "inventory:read",
  async (_request, { params, principal }) => {
    const parsed = secretRouteParamsSchema.safeParse(params);
    if (!parsed.success) return Response.json({ error: "invalid secret address" }, { status: 422 });
    const { cluster, namespace, kind } = parsed.data;
    const where = { cluster, kind, namespace: namespace === CLUSTER_SCOPED_NAMESPACE ? null : namespace };
    const timing = serverTiming();
    if (!(await timing.time("rbac", () => kubeRbacAllows(where, principal))))
      return Response.json(
        {
          error: `Cluster ${cluster} does not allow you to list ${kind}s in ${namespace} (Kubernetes RBAC).`,
        },
        { status: 403 },
      );
    const events = await timing.time("cluster", () => getSecretEvents(parsed.data));
    return Response.json(events, {
      headers: { "Cache-Control": "no-store", "Server-Timing": timing.header() },
    });
  },
  { resource: (_request, params) => ({ cluster: params.cluster, namespace: params.namespace }) },
);
