import "server-only";
import type { Principal } from "@/lib/auth/principal";
import type { PrismaClient } from "@/lib/db/generated/client";
import { canSeeRecord } from "@/lib/kube/filter-visible-records";
import type { RecoveryCampaignView } from "@/lib/validations/recovery";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { deriveCampaignProgress } from "./derive-campaign-progress";
import type { RemovedCheck } from "./removed-from-cluster";

export type CampaignDb = Pick<PrismaClient, "recoveryCampaign" | "proposal">;

/** How long a closed campaign stays listed (and exportable from the page). */
const CLOSED_KEPT_MS = 30 * 24 * 3600_000;

/**
 * Open campaigns, and those closed in the last 30 days, newest first, with each secret's progress.
 * With a principal, a campaign lists only the secrets they may see (and is left out when none).
 */
export async function listRecoveryCampaigns(
  db: CampaignDb,
  recordOf: (id: string) => SecretRecord | undefined,
  options: {
    principal: Principal | null;
    cluster?: string;
    id?: string;
    now?: Date;
    /** Which secrets are gone from their cluster; absent: none counts as removed. */
    removed?: RemovedCheck;
  } = { principal: null },
): Promise<RecoveryCampaignView[]> {
  const now = options.now ?? new Date();
  const campaigns = await db.recoveryCampaign.findMany({
    where: {
      ...(options.id
        ? { id: options.id }
        : { OR: [{ closedAt: null }, { closedAt: { gte: new Date(now.getTime() - CLOSED_KEPT_MS) } }] }),
      ...(options.cluster ? { cluster: options.cluster } : {}),
    },
    include: { secrets: { orderBy: [{ namespace: "asc" }, { name: "asc" }] } },
    orderBy: { startedAt: "desc" },
  });
  if (campaigns.length === 0) return [];
  const proposals = await db.proposal.findMany({
    where: {
      createdAt: { gte: campaigns.reduce((min, c) => (c.startedAt < min ? c.startedAt : min), now) },
      OR: campaigns.flatMap((c) => c.secrets.map((s) => ({ namespace: s.namespace, name: s.name }))),
    },
    select: { namespace: true, name: true, clusters: true, state: true, url: true, createdAt: true },
  });
  return campaigns.flatMap((campaign): RecoveryCampaignView[] => {
    const progress = deriveCampaignProgress(campaign, campaign.secrets, proposals, recordOf, options.removed);
    const visible = options.principal
      ? progress.filter((s) => canSeeRecord(options.principal!, campaign.cluster, s.namespace))
      : progress;
    if (visible.length === 0) return [];
    return [
      {
        id: campaign.id,
        incidentId: campaign.incidentId,
        cluster: campaign.cluster,
        missingKeys: campaign.missingKeys,
        startedBy: campaign.startedByName,
        startedAt: campaign.startedAt.toISOString(),
        closedAt: campaign.closedAt?.toISOString() ?? null,
        secrets: visible,
        total: progress.length,
        healthy: progress.filter((s) => s.state === "healthy").length,
        removed: progress.filter((s) => s.state === "removed").length,
      },
    ];
  });
}
