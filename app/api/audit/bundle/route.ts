import { streamAuditBundle } from "@/lib/audit/bundle/stream-audit-bundle";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { getAuditSigningKey } from "@/lib/audit/get-audit-signing-key";
import { startAuditExport } from "@/lib/audit/stream-audit-export";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { auditExportQuerySchema, pickAuditFilters, searchParamsObject } from "@/lib/validations/audit-query";
import { invalidQueryResponse } from "@/lib/validations/audit-query-error";

export const dynamic = "force-dynamic";

// GET /api/audit/bundle – one ZIP of the filtered export, its signed manifest and the audit public key
export const GET = authorizedRoute("audit:export", async (request, { principal }) => {
  const parsed = auditExportQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!parsed.success) return invalidQueryResponse(parsed.error);
  const { format, exportId } = parsed.data;
  const key = getAuditSigningKey();
  const now = new Date();
  const started = await startAuditExport({
    pool: getAuditPoolOrThrow(),
    key,
    principal,
    client: principal.client ?? { ip: null, userAgent: null },
    filters: pickAuditFilters(parsed.data),
    format,
    exportId,
    now,
  });
  const bundle = streamAuditBundle(started, key, now);
  return new Response(bundle.stream, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${bundle.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Sealdeck-Export-Id": started.exportId,
    },
  });
});
