import { z } from "zod";
import { lookupExport } from "@/lib/audit/export-registry";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { readExportManifest } from "@/lib/audit/read-export-manifest";
import { exportFileName } from "@/lib/audit/stream-audit-export";
import { authorizedRoute } from "@/lib/auth/authorized-route";

export const dynamic = "force-dynamic";

const WAIT_MS = 60_000;
const paramsSchema = z.object({ id: z.uuid() });

// GET /api/audit/export/[id]/manifest – the signed manifest of one's own export, once its file has ended
export const GET = authorizedRoute<{ id: string }>(
  "audit:export",
  async (_request, { principal, params }) => {
    const parsed = paramsSchema.safeParse(params);
    if (!parsed.success) return Response.json({ error: "invalid export id" }, { status: 422 });
    const { id } = parsed.data;
    // The replica that streamed it knows first (and waits for a running one); any replica can read the
    // manifest back from the audit event that recorded it.
    const local = await lookupExport(id, principal.userId, WAIT_MS);
    if (local.state === "failed")
      return Response.json({ error: `This export did not finish: ${local.reason}.` }, { status: 409 });
    if (local.state === "running")
      return Response.json(
        { error: "This export is still running; try again when it ends." },
        { status: 409 },
      );
    const manifest =
      local.state === "done"
        ? local.manifest
        : await readExportManifest(getAuditPoolOrThrow(), id, principal.userId);
    if (!manifest)
      return Response.json({ error: "No finished export of yours has this id." }, { status: 404 });
    const fileName = `${exportFileName(manifest.exportedAt, id, manifest.format)}.manifest.json`;
    return new Response(`${JSON.stringify(manifest, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  },
);
