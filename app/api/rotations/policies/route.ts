import { authorize } from "@/lib/auth/authorize";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import type { Principal } from "@/lib/auth/principal";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { listRotationPolicies } from "@/lib/rotation/list-rotation-policies";
import type { RotationPoliciesResponse } from "@/lib/validations/rotation";

export const dynamic = "force-dynamic";

/** A developer sees the policies and waivers of the namespaces they hold (any cluster's, for "every cluster"). */
function seesNamespace(principal: Principal, cluster: string | null, namespace: string): boolean {
  if (cluster !== null) return authorize(principal, "rotation:read", { cluster, namespace }).allowed;
  return (
    authorize(principal, "rotation:read", { cluster: "*", namespace }).allowed ||
    principal.grants.some((grant) => grant.namespace === "*" || grant.namespace === namespace)
  );
}

// GET /api/rotations/policies – stored policies and every waiver (active or not), for the editors
export const GET = authorizedRoute("rotation:read", async (_request, { principal }) => {
  const { policies, waivers } = await listRotationPolicies(getPrismaOrThrow());
  const body: RotationPoliciesResponse = {
    policies: policies.filter(
      ({ scope }) => !("namespace" in scope) || seesNamespace(principal, scope.cluster, scope.namespace),
    ),
    waivers: waivers.filter((w) => seesNamespace(principal, w.cluster, w.namespace)),
  };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
