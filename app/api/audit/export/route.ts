import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { getAuditSigningKey } from "@/lib/audit/get-audit-signing-key";
import { EXPORT_CONTENT_TYPES } from "@/lib/audit/export-formats";
import { requestClient } from "@/lib/audit/request-client";
import { startAuditExport } from "@/lib/audit/stream-audit-export";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { auditExportQuerySchema, pickAuditFilters, searchParamsObject } from "@/lib/validations/audit-query";
import { invalidQueryResponse } from "@/lib/validations/audit-query-error";

export const dynamic = "force-dynamic";

// GET /api/audit/export – the filtered events as CSV, NDJSON or JSON, streamed; recorded before it starts
export const GET = authorizedRoute("audit:export", async (request, { principal }) => {
  const parsed = auditExportQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidQueryResponse(parsed.error);
  const { format, exportId } = parsed.data;
  const started = await startAuditExport({
    pool: getAuditPoolOrThrow(),
    key: getAuditSigningKey(),
    principal,
    client: requestClient(request.headers),
    filters: pickAuditFilters(parsed.data),
    format,
    exportId,
  });
  return new Response(started.stream, {
    headers: {
      "Content-Type": EXPORT_CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${started.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Sealdeck-Export-Id": started.exportId,
      "X-Sealdeck-Manifest": `/api/audit/export/${started.exportId}/manifest`,
    },
  });
});
