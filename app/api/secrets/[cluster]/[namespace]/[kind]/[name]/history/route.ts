import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { queryAuditRows, secretHistoryQuery } from "@/lib/audit/query-audit-events";
import { authorize } from "@/lib/auth/authorize";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import {
  secretHistoryQuerySchema,
  searchParamsObject,
  type SecretHistoryResponse,
} from "@/lib/validations/audit-query";
import { invalidQueryResponse } from "@/lib/validations/audit-query-error";
import { secretRouteParamsSchema } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";

export const dynamic = "force-dynamic";

type Params = { cluster: string; namespace: string; kind: string; name: string };

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/history – the secret's own audit events, newest first.
// Whoever may see the secret may see its history; the actor's address and browser only with audit:read.
export const GET = authorizedRoute<Params>(
  "inventory:read",
  async (request, { principal, params }) => {
    const address = secretRouteParamsSchema.safeParse(params);
    if (!address.success) return Response.json({ error: "invalid secret address" }, { status: 422 });
    const query = secretHistoryQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
    if (!query.success) return invalidQueryResponse(query.error);
    const { cluster, namespace, kind, name } = address.data;
    const page = await queryAuditRows(
      getAuditPoolOrThrow(),
      secretHistoryQuery({
        cluster,
        namespace: namespace === CLUSTER_SCOPED_NAMESPACE ? null : namespace,
        kind,
        name,
      }),
      query.data,
    );
    const auditor = authorize(principal, "audit:read").allowed;
    const body: SecretHistoryResponse = auditor
      ? page
      : {
          ...page,
          events: page.events.map((event) => ({
            ...event,
            actor: { ...event.actor, ip: null, userAgent: null },
          })),
        };
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  },
  { resource: (_request, params) => ({ cluster: params.cluster, namespace: params.namespace }) },
);
