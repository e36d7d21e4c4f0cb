"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { auditActor } from "../audit-actor";
import { invalidateRotationSchedule } from "../get-rotation-schedule";
import { policyFromRow } from "../list-rotation-policies";
import { describeScope } from "../resolve-policy";

// Server action – remove a rotation policy (the next less specific one applies again): audited first.
export const deleteRotationPolicy = authorizedAction({
  permission: "rotation-policy:write",
  input: z.object({ id: z.uuid() }),
  async run({ id }, { principal }) {
    await getPrismaOrThrow().$transaction(async (tx) => {
      const row = await tx.rotationPolicy.findUnique({ where: { id } });
      if (!row) throw new AppError("not_found", "This policy no longer exists.");
      const policy = policyFromRow(row);
      await appendAuditEvent(tx, {
        actor: auditActor(principal),
        action: "rotation.policy.deleted",
        outcome: "success",
        target: {
          cluster: row.cluster,
          namespace: row.namespace,
          kind: row.kind ?? "RotationPolicy",
          name: row.name,
          keys: row.key ? [row.key] : [],
        },
        details: {
          policyId: id,
          scope: policy ? describeScope(policy.scope) : row.scopeKey,
          level: row.level,
          maxAgeDays: row.maxAgeDays,
        },
      });
      await tx.rotationPolicy.delete({ where: { id } });
    });
    invalidateRotationSchedule();
    revalidatePath("/rotations");
    return { id };
  },
});
