import { secretHistoryQuerySchema, searchParamsObject } from "@/lib/validations/audit-query";
import { invalidQueryResponse } from "@/lib/validations/audit-query-error";
import { secretRoute } from "../secret-route";
import { readSecretHistory } from "./read-secret-history";

export const dynamic = "force-dynamic";

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/history – the secret's own audit events, newest first.
// Whoever may see the secret may see its history; the actor's address and browser only with audit:read.
export const GET = secretRoute(async (request, { principal, address, timing }) => {
  const query = secretHistoryQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!query.success) return invalidQueryResponse(query.error);
  const body = await timing.time("audit", () => readSecretHistory(principal, address, query.data));
  return Response.json(body, { headers: { "Cache-Control": "no-store", "Server-Timing": timing.header() } });
});
