"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { memorySchema, settingKey } from "@/lib/kube/controller-memory";
import { evaluateControllerWarnings } from "@/lib/kube/evaluate-controller-warnings";
import { getInventory } from "@/lib/kube/inventory";

// Server action – a security lead confirms the cluster's current sealing certificate and keys are
// backed up: the "new-key" and "certificate-changed" warnings go away until the next new key.
export const acknowledgeKeyBackup = authorizedAction({
  permission: "key-backup:acknowledge",
  input: z.object({ cluster: z.string().trim().min(1).max(253) }),
  async run({ cluster }, { principal }) {
    const cache = getInventory().cluster(cluster);
    if (!cache) throw new AppError("not_found", `No cluster named ${cluster}.`);
    const controller = cache.controller;
    if (!controller)
      throw new AppError(
        "conflict",
        "Sealdeck has not read this cluster's sealing controller yet; retry shortly.",
      );
    const certificate = controller.certificate;
    const key = settingKey(cluster);
    const memory = await getPrismaOrThrow().$transaction(async (tx) => {
      const row = await tx.setting.findUnique({ where: { key } });
      const stored = memorySchema.safeParse(row?.value);
      const previous = stored.success
        ? stored.data
        : { acknowledgedFingerprint: null, acknowledgedKeys: [], seenPublicKeys: [] };
      const keys = controller.keys.map((k) => k.name);
      const next = {
        acknowledgedFingerprint: certificate?.fingerprintSha256 ?? previous.acknowledgedFingerprint,
        acknowledgedKeys: [...new Set([...previous.acknowledgedKeys, ...keys])],
        seenPublicKeys: previous.seenPublicKeys,
      };
      // Audited first, in the same transaction: no audit record, no acknowledgement.
      await appendAuditEvent(tx, {
        action: "sealing_key.backup_acknowledged",
        outcome: "success",
        actor: principalActor(principal),
        target: { cluster, namespace: controller.namespace, kind: "SealingKey", keys },
        details: {
          certificateFingerprint: certificate?.fingerprintSha256 ?? null,
          previousFingerprint: previous.acknowledgedFingerprint,
          newlyAcknowledgedKeys: keys.filter((name) => !previous.acknowledgedKeys.includes(name)),
        },
      });
      await tx.setting.upsert({
        where: { key },
        create: { key, value: next, updatedBy: principal.username },
        update: { value: next, updatedBy: principal.username },
      });
      return next;
    });
    // Re-evaluate now rather than at the controller's next refresh, so the warning goes at once.
    cache.warnings = evaluateControllerWarnings(
      cluster,
      memory,
      certificate
        ? {
            fingerprintSha256: certificate.fingerprintSha256,
            publicKeySha256: certificate.publicKeySha256,
            notAfter: new Date(certificate.notAfter),
          }
        : null,
      controller.keys,
      new Date(),
      cache.keyPolicy ?? undefined,
    ).warnings;
    revalidatePath("/");
    revalidatePath("/settings");
    return { cluster, acknowledgedKeys: memory.acknowledgedKeys.length };
  },
});
