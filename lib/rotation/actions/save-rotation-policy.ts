"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { maxAgeDays, rotationPolicyInputSchema } from "@/lib/validations/rotation";
import { auditActor } from "../audit-actor";
import { scopeColumns } from "../list-rotation-policies";
import { invalidateRotationSchedule } from "../get-rotation-schedule";
import { describeScope, policyScopeKey } from "../resolve-policy";

// Server action – create a rotation policy, or change one (id given): audited first, in the same transaction.
export const saveRotationPolicy = authorizedAction({
  permission: "rotation-policy:write",
  input: rotationPolicyInputSchema,
  async run(input, { principal }) {
    const days = maxAgeDays(input.maxAge)!;
    const scopeKey = policyScopeKey(input.scope);
    const columns = scopeColumns(input.scope);
    const saved = await getPrismaOrThrow().$transaction(async (tx) => {
      const existing = input.id ? await tx.rotationPolicy.findUnique({ where: { id: input.id } }) : null;
      if (input.id && !existing) throw new AppError("not_found", "This policy no longer exists.");
      const clash = await tx.rotationPolicy.findUnique({ where: { scopeKey } });
      if (clash && clash.id !== input.id)
        throw new AppError(
          "conflict",
          `A policy for ${describeScope(input.scope)} exists already: edit that one.`,
        );
      const id = existing?.id ?? randomUUID();
      await appendAuditEvent(tx, {
        actor: auditActor(principal),
        action: existing ? "rotation.policy.updated" : "rotation.policy.created",
        outcome: "success",
        target: {
          cluster: columns.cluster,
          namespace: columns.namespace,
          kind: columns.kind ?? "RotationPolicy",
          name: columns.name,
          keys: columns.key ? [columns.key] : [],
        },
        details: {
          policyId: id,
          scope: describeScope(input.scope),
          level: input.scope.level,
          maxAgeDays: days,
          previousMaxAgeDays: existing?.maxAgeDays ?? null,
          note: input.note,
        },
      });
      const data = {
        ...columns,
        scopeKey,
        maxAgeDays: days,
        note: input.note,
        updatedBy: principal.username,
      };
      return existing
        ? tx.rotationPolicy.update({ where: { id }, data })
        : tx.rotationPolicy.create({ data: { id, ...data } });
    });
    invalidateRotationSchedule();
    revalidatePath("/rotations");
    return { id: saved.id, maxAgeDays: saved.maxAgeDays };
  },
});
