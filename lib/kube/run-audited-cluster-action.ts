import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { logger } from "@/lib/log/logger";

type Target = { cluster: string; namespace: string | null; kind: string; name: string };

/**
 * Runs one cluster action behind the audit log (invariant 3): the "requested" event is written first
 * and, if it cannot be, the action is refused before anything reaches the cluster. The outcome is
 * appended afterwards; failing to record it is logged (the action has already happened).
 */
export async function runAuditedClusterAction<T>(
  principal: Principal,
  action: string,
  target: Target,
  perform: () => Promise<T>,
  describe: (result: T) => Record<string, string | number | boolean | null | string[]>,
): Promise<T> {
  const actor = principalActor(principal);
  const auditTarget = {
    cluster: target.cluster,
    namespace: target.namespace,
    kind: target.kind,
    name: target.name,
  };
  let prisma: ReturnType<typeof getPrismaOrThrow>;
  try {
    prisma = getPrismaOrThrow();
    await appendAuditEvent(prisma, {
      actor,
      action: `${action}.requested`,
      target: auditTarget,
      outcome: "pending",
    });
  } catch (error) {
    logger.error({ err: error, action }, "audit write failed; action refused");
    throw new AppError(
      "unavailable",
      "The audit log cannot be written right now, so nothing was changed. Try again later.",
    );
  }
  try {
    const result = await perform();
    await appendAuditEvent(prisma, {
      actor,
      action,
      target: auditTarget,
      outcome: "success",
      details: describe(result),
    }).catch((error: unknown) => logger.error({ err: error, action }, "audit outcome not recorded"));
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await appendAuditEvent(prisma, {
      actor,
      action,
      target: auditTarget,
      outcome: "failure",
      details: { error: message.slice(0, 500) },
    }).catch((auditError: unknown) =>
      logger.error({ err: auditError, action }, "audit outcome not recorded"),
    );
    throw error;
  }
}
