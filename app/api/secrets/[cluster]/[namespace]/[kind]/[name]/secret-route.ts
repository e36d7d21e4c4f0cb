import "server-only";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import type { Principal } from "@/lib/auth/principal";
import { kubeRbacAllows } from "@/lib/kube/filter-by-kube-rbac";
import type { SecretAddress } from "@/lib/kube/get-secret-detail";
import { serverTiming } from "@/lib/metrics/server-timing";
import { secretRouteParamsSchema } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";

type Params = { cluster: string; namespace: string; kind: string; name: string };

export type SecretRouteContext = {
  principal: Principal;
  address: SecretAddress;
  /** Phases for the Server-Timing header (the Kubernetes RBAC review is already in it). */
  timing: ReturnType<typeof serverTiming>;
};

/**
 * A GET handler about one secret, at /api/secrets/[cluster]/[namespace]/[kind]/[name]/…: Sealdeck's own
 * grant for the namespace (inventory:read), the address validated (422), and with `kubeRbac` the
 * cluster's RBAC asked whether the user may list that kind there (403) before `handler` runs.
 */
export function secretRoute(
  handler: (request: Request, context: SecretRouteContext) => Promise<Response>,
  options: { kubeRbac?: boolean } = {},
) {
  return authorizedRoute<Params>(
    "inventory:read",
    async (request, { params, principal }) => {
      const parsed = secretRouteParamsSchema.safeParse(params);
      if (!parsed.success) return Response.json({ error: "invalid secret address" }, { status: 422 });
      const { cluster, namespace, kind } = parsed.data;
      const timing = serverTiming();
      if (options.kubeRbac) {
        const where = { cluster, kind, namespace: namespace === CLUSTER_SCOPED_NAMESPACE ? null : namespace };
        if (!(await timing.time("rbac", () => kubeRbacAllows(where, principal))))
          return Response.json(
            {
              error: `Cluster ${cluster} does not allow you to list ${kind}s in ${namespace} (Kubernetes RBAC).`,
            },
            { status: 403 },
          );
      }
      return handler(request, { principal, address: parsed.data, timing });
    },
    { resource: (_request, params) => ({ cluster: params.cluster, namespace: params.namespace }) },
  );
}
