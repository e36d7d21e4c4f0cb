import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { listRecoveryCampaigns } from "./list-recovery-campaigns";
import { recordCampaignAbsences } from "./record-campaign-absences";
import type { RemovedCheck } from "./removed-from-cluster";

export const CAMPAIGN_CLOSER = "sealdeck recovery";

/**
 * Closes every open campaign whose every secret the cluster now reports healthy or removed (gone from a
 * synced cluster across passes at least `removed.afterMs` apart, see removed-from-cluster.ts; this pass's
 * sighting is recorded first; the event names those): audited first, in the
 * same transaction, and only if it is still open (two replicas closing at once write one event).
 * Returns the ids closed.
 */
export async function closeFinishedCampaigns(
  db: PrismaClient,
  recordOf: (id: string) => SecretRecord | undefined,
  removed?: RemovedCheck,
): Promise<string[]> {
  if (removed) await recordCampaignAbsences(db, recordOf, removed);
  const open = (await listRecoveryCampaigns(db, recordOf, { principal: null, removed })).filter(
    (c) => c.closedAt === null && c.total > 0 && c.healthy + c.removed === c.total,
  );
  const closed: string[] = [];
  for (const campaign of open) {
    const done = await db.$transaction(async (tx) => {
      const claimed = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM recovery_campaigns WHERE id = ${campaign.id}::uuid AND closed_at IS NULL FOR UPDATE`;
      if (claimed.length === 0) return false;
      await appendAuditEvent(tx, {
        action: "recovery.campaign.closed",
        outcome: "success",
        actor: { name: CAMPAIGN_CLOSER },
        target: { cluster: campaign.cluster, kind: "RecoveryCampaign", name: campaign.id },
        details: {
          incident: campaign.incidentId,
          affected: campaign.secrets.map((s) => `${s.namespace}/${s.name}`),
          removed: campaign.secrets
            .filter((s) => s.state === "removed")
            .map((s) => `${s.namespace}/${s.name}`),
          startedBy: campaign.startedBy,
          startedAt: campaign.startedAt,
        },
      });
      await tx.recoveryCampaign.update({ where: { id: campaign.id }, data: { closedAt: new Date() } });
      return true;
    });
    if (done) closed.push(campaign.id);
  }
  return closed;
}
