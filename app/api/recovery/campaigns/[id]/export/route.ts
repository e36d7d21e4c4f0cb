import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { getInventory } from "@/lib/kube/inventory";
import { formatCampaignCsv } from "@/lib/recovery/format-campaign-csv";
import { listRecoveryCampaigns } from "@/lib/recovery/list-recovery-campaigns";
import { removedFromInventory } from "@/lib/recovery/removed-from-cluster";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid() });

// GET /api/recovery/campaigns/[id]/export – a re-seal campaign as CSV (the secrets the user may see), audited first
export const GET = authorizedRoute<{ id: string }>(
  "inventory:read",
  async (_request, { principal, params }) => {
    const parsed = paramsSchema.safeParse(params);
    if (!parsed.success) return Response.json({ error: "not found" }, { status: 404 });
    const inventory = getInventory();
    await inventory.ready();
    const db = getPrismaOrThrow();
    const [campaign] = await listRecoveryCampaigns(db, (id) => inventory.get(id), {
      principal,
      id: parsed.data.id,
      removed: removedFromInventory(inventory),
    });
    if (!campaign) return Response.json({ error: "not found" }, { status: 404 });
    await appendAuditEvent(db, {
      action: "recovery.campaign.exported",
      outcome: "success",
      actor: principalActor(principal),
      target: { cluster: campaign.cluster, kind: "RecoveryCampaign", name: campaign.id },
      details: { format: "csv", rows: campaign.secrets.length },
    });
    return new Response(formatCampaignCsv(campaign), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="recovery-campaign-${campaign.cluster}-${campaign.startedAt.slice(0, 10)}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
);
