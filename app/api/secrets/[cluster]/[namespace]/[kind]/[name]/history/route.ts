import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { queryAuditRows, secretHistoryQuery } from "@/lib/audit/query-audit-events";
import { authorize } from "@/lib/auth/authorize";
import {
  secretHistoryQuerySchema,
  searchParamsObject,
  type SecretHistoryResponse,
} from "@/lib/validations/audit-query";
import { invalidQueryResponse } from "@/lib/validations/audit-query-error";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";
import { secretRoute } from "../secret-route";

export const dynamic = "force-dynamic";

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/history – the secret's own audit events, newest first.
// Whoever may see the secret may see its history; the actor's address and browser only with audit:read.
export const GET = secretRoute(async (request, { principal, address, timing }) => {
  const query = secretHistoryQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!query.success) return invalidQueryResponse(query.error);
  const { cluster, namespace, kind, name } = address;
  const page = await timing.time("audit", () =>
    queryAuditRows(
      getAuditPoolOrThrow(),
      secretHistoryQuery({
        cluster,
        namespace: namespace === CLUSTER_SCOPED_NAMESPACE ? null : namespace,
        kind,
        name,
      }),
      query.data,
    ),
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
  return Response.json(body, { headers: { "Cache-Control": "no-store", "Server-Timing": timing.header() } });
});
