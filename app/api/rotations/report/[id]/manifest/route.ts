import { z } from "zod";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { readRotationReportManifest } from "@/lib/rotation/read-rotation-report-manifest";
import { rotationReportFileName } from "@/lib/rotation/stream-rotation-report";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid() });

// GET /api/rotations/report/[id]/manifest – the signed manifest of one's own rotation report, once its file has ended
export const GET = authorizedRoute<{ id: string }>(
  "rotation:read",
  async (_request, { principal, params }) => {
    const parsed = paramsSchema.safeParse(params);
    if (!parsed.success) return Response.json({ error: "invalid report id" }, { status: 422 });
    const manifest = await readRotationReportManifest(
      getAuditPoolOrThrow(),
      parsed.data.id,
      principal.userId,
    );
    if (!manifest)
      return Response.json({ error: "No finished rotation report of yours has this id." }, { status: 404 });
    const fileName = `${rotationReportFileName(manifest.exportedAt, manifest.reportId, manifest.format)}.manifest.json`;
    return new Response(`${JSON.stringify(manifest, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  },
);
