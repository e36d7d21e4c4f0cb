import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import { authorize } from "@/lib/auth/authorize";
import type { PrismaClient, ValueFix } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors/app-error";
import { requireKubeAccess } from "@/lib/kube/check-kube-access";
import type { ClusterCache } from "@/lib/kube/cluster-cache";
import { restartConsumers } from "@/lib/kube/restart-consumers";
import { logger } from "@/lib/log/logger";
import type { SecretConsumer } from "@/lib/validations/secret-record";
import { fixEvent, VALUE_FIX_ACTOR } from "./fix-audit";
import { loadFixRequester } from "./load-fix-requester";

export type RestartOutcome = "restarted" | "failed" | "denied" | "not-claimed";

const label = (c: SecretConsumer) => `${c.kind} ${c.namespace}/${c.name}`;

/**
 * The last step of a fix whose new value the cluster applied: restart its consumers once, as the
 * requester. Their rights are read again now, through authorize() (and, under impersonation, the
 * cluster's RBAC for each workload): a requester who lost them gets no restart and a failed fix with the
 * reason, audited. The restart is claimed first by moving the row out of `waiting_apply` in the same
 * transaction as its audit events (fail closed: no event, no claim), so however many replicas or ticks
 * get here, one restarts and the others find nothing to claim.
 */
export async function restartFixConsumers(
  prisma: PrismaClient,
  fix: ValueFix,
  cluster: ClusterCache,
  consumers: readonly SecretConsumer[],
  evidence: Record<string, unknown>,
): Promise<RestartOutcome> {
  const principal = await loadFixRequester(prisma, fix.requestedById);
  const system = { name: VALUE_FIX_ACTOR };
  const applied = fixEvent(fix, "secret.fix.applied", "success", system, evidence as never);

  let refusal: string | null = null;
  if (!principal) refusal = `${fix.requestedByName}'s account no longer exists.`;
  else {
    const decision = authorize(principal, "secret:fix-value", {
      cluster: fix.cluster,
      namespace: fix.namespace,
    });
    if (!decision.allowed)
      refusal =
        decision.reason === "password_change_required"
          ? `${principal.username} must change their one-time password before anything is done for them.`
          : `${principal.username} (${principal.role}) may no longer restart the consumers of secrets in ${fix.namespace} on ${fix.cluster}.`;
  }
  const access = principal ? cluster.accessFor(principal) : null;
  if (!refusal && access)
    try {
      for (const consumer of consumers)
        if (consumer.kind !== "CronJob")
          await requireKubeAccess(access.kc, fix.cluster, access.as, {
            verb: "patch",
            group: "apps",
            resource: `${consumer.kind.toLowerCase()}s`,
            namespace: consumer.namespace,
            name: consumer.name,
          });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "forbidden") throw error;
      refusal = error.message;
    }

  const actor = principal
    ? principalActor(principal)
    : { userId: fix.requestedById, name: fix.requestedByName };
  if (refusal) {
    const failed = await prisma.$transaction(async (tx) => {
      const changed = await tx.valueFix.updateMany({
        where: { id: fix.id, state: "waiting_apply" },
        data: {
          state: "failed",
          failure: `No restart: ${refusal}`.slice(0, 500),
          appliedAt: new Date(),
          finishedAt: new Date(),
        },
      });
      if (changed.count !== 1) return false;
      await appendAuditEvent(tx, applied);
      await appendAuditEvent(
        tx,
        fixEvent(fix, "secret.fix.restart", "denied", actor, { reason: refusal.slice(0, 500) }),
      );
      return true;
    });
    return failed ? "denied" : "not-claimed";
  }

  const claimed = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE value_fixes SET state = 'restarting', applied_at = now(), updated_at = now()
       WHERE id = $1::uuid AND state = 'waiting_apply' RETURNING id`,
      fix.id,
    );
    if (rows.length !== 1) return false;
    await appendAuditEvent(tx, applied);
    await appendAuditEvent(
      tx,
      fixEvent(fix, "secret.fix.restart.requested", "pending", actor, { consumers: consumers.map(label) }),
    );
    return true;
  });
  if (!claimed) return "not-claimed";

  try {
    const result = await restartConsumers(access!, fix.cluster, [...consumers]);
    const restarted = result.restarted.map(label);
    const skipped = result.skipped.map((s) => `${label(s.consumer)}: ${s.reason}`);
    await finish(
      prisma,
      fix,
      { state: "restarted", restarted },
      fixEvent(fix, "secret.fix.restart", "success", actor, { restarted, skipped }),
    );
    return "restarted";
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await finish(
      prisma,
      fix,
      { state: "failed", failure: `The restart failed: ${message}`.slice(0, 500) },
      fixEvent(fix, "secret.fix.restart", "failure", actor, { error: message }),
    );
    return "failed";
  }
}

/** Records how the claimed restart ended; if its event cannot be written, the row still says it (logged). */
async function finish(
  prisma: PrismaClient,
  fix: ValueFix,
  data: { state: "restarted" | "failed"; restarted?: string[]; failure?: string },
  event: ReturnType<typeof fixEvent>,
) {
  const update = { ...data, finishedAt: new Date() };
  try {
    await prisma.$transaction(async (tx) => {
      await tx.valueFix.update({ where: { id: fix.id }, data: update });
      await appendAuditEvent(tx, event);
    });
  } catch (error) {
    logger.error({ err: error, fixId: fix.id }, "value fix outcome not audited; recording its state alone");
    await prisma.valueFix.update({ where: { id: fix.id }, data: update });
  }
}
