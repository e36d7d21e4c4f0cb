import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getSecretDetail } from "@/lib/kube/get-secret-detail";
import { secretRouteParamsSchema } from "@/lib/validations/secret-list-query";

export const dynamic = "force-dynamic";

type Params = { cluster: string; namespace: string; kind: string; name: string };

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name] – one secret with conditions, consumers and events
export const GET = authorizedRoute<Params>(
  "inventory:read",
  async (_request, { params }) => {
    const parsed = secretRouteParamsSchema.safeParse(params);
    if (!parsed.success) return Response.json({ error: "invalid secret address" }, { status: 422 });
    return Response.json(await getSecretDetail(parsed.data), { headers: { "Cache-Control": "no-store" } });
  },
  { resource: (_request, params) => ({ cluster: params.cluster, namespace: params.namespace }) },
);
