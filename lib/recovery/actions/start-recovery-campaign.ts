"use server";

import { revalidatePath } from "next/cache";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import { authorize } from "@/lib/auth/authorize";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { getInventory } from "@/lib/kube/inventory";
import { readSetting } from "@/lib/settings/read-setting";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import { startCampaignInputSchema } from "@/lib/validations/recovery";
import { listKeyLossIncidents } from "../list-key-loss-incidents";

// Server action – start the re-seal campaign of a cluster's lost-key incident: every affected
// SealedSecret with its owner and keys, as the cluster reports them now. Audited first, failing closed.
export const startRecoveryCampaign = authorizedAction({
  permission: "secret:rotate",
  input: startCampaignInputSchema,
  async run({ cluster }, { principal }) {
    const inventory = getInventory();
    await inventory.ready();
    const db = getPrismaOrThrow();
    const teamMapping = await readSetting(settingDefinitions.teamMapping, db);
    const [incident] = listKeyLossIncidents({
      statuses: inventory.clusterStatuses(),
      records: inventory.list(),
      teamMapping: teamMapping.value ?? [],
      principal: null,
      cluster,
    });
    if (!incident) throw new AppError("not_found", `Cluster ${cluster} has no lost-key incident.`);
    // A campaign covers the whole incident, so whoever starts it must be able to re-seal all of it.
    const outside = incident.secrets.filter(
      (s) => !authorize(principal, "secret:rotate", { cluster, namespace: s.namespace }).allowed,
    );
    if (outside.length > 0)
      throw new AppError(
        "forbidden",
        `Starting this campaign needs the right to rotate secrets in ${[...new Set(outside.map((s) => s.namespace))].join(", ")}.`,
      );
    const id = await db.$transaction(async (tx) => {
      const open = await tx.recoveryCampaign.findFirst({ where: { cluster, closedAt: null } });
      if (open) throw new AppError("conflict", `A re-seal campaign for ${cluster} is already open.`);
      const missingKeys = incident.missingKeys.flatMap((k) => (k.publicKeySha256 ? [k.publicKeySha256] : []));
      await appendAuditEvent(tx, {
        action: "recovery.campaign.started",
        outcome: "success",
        actor: principalActor(principal),
        target: { cluster, kind: "RecoveryCampaign", name: incident.id },
        details: {
          incident: incident.id,
          missingKeys,
          affected: incident.secrets.map((s) => `${s.namespace}/${s.name}`),
        },
      });
      const created = await tx.recoveryCampaign.create({
        data: {
          incidentId: incident.id,
          cluster,
          missingKeys,
          startedById: principal.userId,
          startedByName: principal.username,
          secrets: {
            create: incident.secrets.map((s) => ({
              namespace: s.namespace,
              name: s.name,
              keys: s.keys,
              owner: s.owner?.team ?? null,
              ownerSource: s.owner?.source ?? null,
            })),
          },
        },
      });
      return created.id;
    });
    revalidatePath("/recovery");
    return { id };
  },
});
