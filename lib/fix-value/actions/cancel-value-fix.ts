"use server";

import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { logger } from "@/lib/log/logger";
import { cancellableFixStates, cancelValueFixInputSchema } from "@/lib/validations/value-fix";
import { fixEvent } from "../fix-audit";

// Server action – cancel a fix before its restart: the pull request stays as it is, nothing is restarted.
export const cancelValueFix = authorizedAction({
  permission: "secret:fix-value",
  input: cancelValueFixInputSchema,
  resource: (input) => ({ cluster: input.cluster, namespace: input.namespace }),
  async run(input, { principal }) {
    const prisma = getPrismaOrThrow();
    const fix = await prisma.valueFix.findFirst({
      where: {
        id: input.fixId,
        cluster: input.cluster,
        namespace: input.namespace,
        kind: input.kind,
        name: input.name,
      },
    });
    if (!fix) throw new AppError("not_found", "This fix was not found.");
    let cancelled: boolean;
    try {
      // The same conditional UPDATE the restart claims with: a fix is either cancelled or restarted.
      cancelled = await prisma.$transaction(async (tx) => {
        const changed = await tx.valueFix.updateMany({
          where: { id: fix.id, state: { in: [...cancellableFixStates] } },
          data: { state: "cancelled", finishedAt: new Date() },
        });
        if (changed.count !== 1) return false;
        await appendAuditEvent(
          tx,
          fixEvent(fix, "secret.fix.cancelled", "success", principalActor(principal), {
            previousState: fix.state,
          }),
        );
        return true;
      });
    } catch (error) {
      logger.error({ err: error, action: "secret.fix.cancelled" }, "audit write failed; cancel refused");
      throw new AppError(
        "unavailable",
        "The audit log cannot be written right now, so the fix was not cancelled. Try again later.",
      );
    }
    if (!cancelled)
      throw new AppError(
        "conflict",
        "This fix can no longer be cancelled: its restart has begun or it has ended.",
      );
    return { cancelled: true };
  },
});
