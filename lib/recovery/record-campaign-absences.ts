import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import { type SecretRecord, secretRecordId } from "@/lib/validations/secret-record";
import type { RemovedCheck } from "./removed-from-cluster";

type Key = { campaignId: string; namespace: string; name: string };

/**
 * One closer pass's look at the open campaigns' secrets: one found absent (no record, and a live list
 * of a synced cluster without it) gets `absent_since` set, unless it already has one; one found again
 * (a record, or the list holds it) has it cleared, so a SealedSecret deleted and recreated by a GitOps
 * tool starts over. When its cluster's list says nothing (first sync, outage, forbidden) it is left
 * as it is. Idempotent: replicas passing one after another keep the first sighting.
 */
export async function recordCampaignAbsences(
  db: Pick<PrismaClient, "recoveryCampaignSecret">,
  recordOf: (id: string) => SecretRecord | undefined,
  removed: RemovedCheck,
): Promise<{ absent: number; found: number }> {
  const secrets = await db.recoveryCampaignSecret.findMany({
    where: { campaign: { closedAt: null } },
    select: {
      campaignId: true,
      namespace: true,
      name: true,
      absentSince: true,
      campaign: { select: { cluster: true } },
    },
  });
  const absent: Key[] = [];
  const found: Key[] = [];
  for (const secret of secrets) {
    const { cluster } = secret.campaign;
    const key = { campaignId: secret.campaignId, namespace: secret.namespace, name: secret.name };
    const record = recordOf(secretRecordId(cluster, secret.namespace, "SealedSecret", secret.name));
    const presence = record ? "present" : removed.presence(cluster, secret.namespace, secret.name);
    if (presence === "absent" && !secret.absentSince) absent.push(key);
    else if (presence === "present" && secret.absentSince) found.push(key);
  }
  if (absent.length > 0)
    await db.recoveryCampaignSecret.updateMany({
      where: { OR: absent, absentSince: null },
      data: { absentSince: removed.now },
    });
  if (found.length > 0)
    await db.recoveryCampaignSecret.updateMany({ where: { OR: found }, data: { absentSince: null } });
  return { absent: absent.length, found: found.length };
}
