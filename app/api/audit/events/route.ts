import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { queryAuditEvents } from "@/lib/audit/query-audit-events";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { auditEventsQuerySchema, pickAuditFilters, searchParamsObject } from "@/lib/validations/audit-query";
import { invalidQueryResponse } from "@/lib/validations/audit-query-error";

export const dynamic = "force-dynamic";

// GET /api/audit/events – audit events matching the filters, newest first, a page per cursor
export const GET = authorizedRoute("audit:read", async (request) => {
  const parsed = auditEventsQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidQueryResponse(parsed.error);
  const { cursor, limit } = parsed.data;
  const page = await queryAuditEvents(getAuditPoolOrThrow(), pickAuditFilters(parsed.data), {
    cursor,
    limit,
  });
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
});
