import { z } from "zod";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { getAuditSigningKey } from "@/lib/audit/get-audit-signing-key";
import { requestClient } from "@/lib/audit/request-client";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { ROTATION_REPORT_CONTENT_TYPES } from "@/lib/rotation/format-rotation-report";
import { getRotationSchedule, rotationVisibility } from "@/lib/rotation/get-rotation-schedule";
import { invalidRotationQuery } from "@/lib/rotation/invalid-rotation-query";
import { ROTATION_REPORT_FORMATS } from "@/lib/rotation/rotation-report-manifest";
import { startRotationReport } from "@/lib/rotation/stream-rotation-report";
import { rotationQuerySchema } from "@/lib/validations/rotation";

export const dynamic = "force-dynamic";

const reportQuerySchema = rotationQuerySchema
  .omit({ sort: true, order: true, offset: true, limit: true })
  .extend({ format: z.enum(ROTATION_REPORT_FORMATS).default("csv") });

// GET /api/rotations/report – every key with policy, last rotation, evidence, due date and waiver; streamed, signed, audited first
export const GET = authorizedRoute("rotation:read", async (request, { principal }) => {
  const parsed = reportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidRotationQuery(parsed.error);
  const { format, ...filter } = parsed.data;
  const [schedule, visible] = await Promise.all([getRotationSchedule(), rotationVisibility(principal)]);
  const started = await startRotationReport({
    pool: getAuditPoolOrThrow(),
    key: getAuditSigningKey(),
    principal,
    client: requestClient(request.headers),
    schedule,
    visible,
    filter,
    format,
  });
  return new Response(started.stream, {
    headers: {
      "Content-Type": ROTATION_REPORT_CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${started.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Sealdeck-Report-Id": started.reportId,
      "X-Sealdeck-Manifest": `/api/rotations/report/${started.reportId}/manifest`,
    },
  });
});
