"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { auditActor } from "../audit-actor";
import { invalidateRotationSchedule } from "../get-rotation-schedule";

// Server action – end a waiver now; the row stays (revoked_at/by), so the record of it does too. Audited first.
export const revokeRotationWaiver = authorizedAction({
  permission: "rotation-policy:write",
  input: z.object({ id: z.uuid() }),
  async run({ id }, { principal }) {
    const revokedAt = await getPrismaOrThrow().$transaction(async (tx) => {
      const waiver = await tx.rotationWaiver.findUnique({ where: { id } });
      if (!waiver) throw new AppError("not_found", "This waiver does not exist.");
      if (waiver.revokedAt) throw new AppError("conflict", "This waiver was revoked already.");
      await appendAuditEvent(tx, {
        actor: auditActor(principal),
        action: "rotation.waiver.revoked",
        outcome: "success",
        target: {
          cluster: waiver.cluster,
          namespace: waiver.namespace,
          kind: waiver.kind,
          name: waiver.name,
          keys: waiver.key === null ? [] : [waiver.key],
        },
        details: { waiverId: id, until: waiver.until.toISOString(), grantedBy: waiver.createdBy },
      });
      // Only a row still unrevoked changes: a concurrent revoke finds nothing and rolls its event back.
      const now = new Date();
      const changed = await tx.rotationWaiver.updateMany({
        where: { id, revokedAt: null },
        data: { revokedAt: now, revokedBy: principal.username },
      });
      if (changed.count !== 1) throw new AppError("conflict", "This waiver was revoked already.");
      return now;
    });
    invalidateRotationSchedule();
    revalidatePath("/rotations");
    return { id, revokedAt: revokedAt.toISOString() };
  },
});
