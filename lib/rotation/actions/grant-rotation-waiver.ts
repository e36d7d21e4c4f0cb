"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { rotationWaiverInputSchema } from "@/lib/validations/rotation";
import { auditActor } from "../audit-actor";
import { invalidateRotationSchedule } from "../get-rotation-schedule";
import { waiverEndOrThrow } from "../waiver-end";

// Server action – accept an overdue key (or every key of a secret) until a date, with a reason: audited first.
export const grantRotationWaiver = authorizedAction({
  permission: "rotation-policy:write",
  input: rotationWaiverInputSchema,
  async run(input, { principal }) {
    const until = waiverEndOrThrow(input.until, new Date());
    const id = randomUUID();
    await getPrismaOrThrow().$transaction(async (tx) => {
      await appendAuditEvent(tx, {
        actor: auditActor(principal),
        action: "rotation.waiver.granted",
        outcome: "success",
        target: {
          cluster: input.cluster,
          namespace: input.namespace,
          kind: input.kind,
          name: input.name,
          keys: input.key === null ? [] : [input.key],
        },
        details: {
          waiverId: id,
          until: until.toISOString(),
          reason: input.reason,
          allKeys: input.key === null,
        },
      });
      await tx.rotationWaiver.create({
        data: {
          id,
          cluster: input.cluster,
          namespace: input.namespace,
          kind: input.kind,
          name: input.name,
          key: input.key,
          until,
          reason: input.reason,
          createdBy: principal.username,
        },
      });
    });
    invalidateRotationSchedule();
    revalidatePath("/rotations");
    return { id, until: until.toISOString() };
  },
});
