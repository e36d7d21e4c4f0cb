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
 * Where the restart starts from: a fix whose new value the cluster just applied (`evidence` is what
 * showed it), or a fix left `restarting` by a replica whose claim is older than `claimMs` (it died
 * between its claim and its outcome).
 */
export type RestartFrom =
  { kind: "applied"; evidence: Record<string, unknown> } | { kind: "expired-claim"; claimMs: number };

/** The claim of a fix left `restarting`: the one it had, or applied_at for rows claimed before that column. */
const EXPIRED_CLAIM = `state = 'restarting' AND COALESCE(restart_claimed_at, applied_at, updated_at) < now() - make_interval(secs => $2::double precision / 1000)`;

/**
 * The last step of a fix whose new value the cluster applied: restart its consumers once, as the
 * requester. Their rights are read again now, through authorize() (and, under impersonation, the
 * cluster's RBAC for each workload): a requester who lost them gets no restart and a failed fix with the
 * reason, audited. The restart is claimed first by moving the row out of `waiting_apply` (or, resumed,
 * by renewing an expired claim) in the same transaction as its audit events (fail closed: no event, no
 * claim), so however many replicas or ticks get here, one restarts and the others find nothing to claim.
 * The patch carries the fix's id, so a resumed restart skips the workloads the dead replica restarted;
 * and only the holder of the current claim records the outcome.
 */
export async function restartFixConsumers(
  prisma: PrismaClient,
  fix: ValueFix,
  cluster: ClusterCache,
  consumers: readonly SecretConsumer[],
  from: RestartFrom,
): Promise<RestartOutcome> {
  const principal = await loadFixRequester(prisma, fix.requestedById);
  const system = { name: VALUE_FIX_ACTOR };
  // Resumed, the applied event was written with the first claim.
  const applied =
    from.kind === "applied"
      ? [fixEvent(fix, "secret.fix.applied", "success", system, from.evidence as never)]
      : [];

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
    const failure = `No restart: ${refusal}`.slice(0, 500);
    const failed = await prisma.$transaction(async (tx) => {
      const changed =
        from.kind === "applied"
          ? await tx.$executeRawUnsafe(
              `UPDATE value_fixes SET state = 'failed', failure = $2, applied_at = now(), finished_at = now(),
                 updated_at = now() WHERE id = $1::uuid AND state = 'waiting_apply'`,
              fix.id,
              failure,
            )
          : await tx.$executeRawUnsafe(
              `UPDATE value_fixes SET state = 'failed', failure = $3, finished_at = now(), updated_at = now()
                 WHERE id = $1::uuid AND ${EXPIRED_CLAIM}`,
              fix.id,
              from.claimMs,
              failure,
            );
      if (changed !== 1) return false;
      for (const event of applied) await appendAuditEvent(tx, event);
      await appendAuditEvent(
        tx,
        fixEvent(fix, "secret.fix.restart", "denied", actor, { reason: refusal.slice(0, 500) }),
      );
      return true;
    });
    return failed ? "denied" : "not-claimed";
  }

  const claim = await prisma.$transaction(async (tx) => {
    const rows =
      from.kind === "applied"
        ? await tx.$queryRawUnsafe<{ claimed: Date; previous: Date | null }[]>(
            `UPDATE value_fixes SET state = 'restarting', applied_at = now(), restart_claimed_at = now(),
               updated_at = now() WHERE id = $1::uuid AND state = 'waiting_apply'
             RETURNING restart_claimed_at AS claimed, NULL::timestamptz AS previous`,
            fix.id,
          )
        : await tx.$queryRawUnsafe<{ claimed: Date; previous: Date | null }[]>(
            `WITH old AS (
               SELECT id, COALESCE(restart_claimed_at, applied_at) AS previous FROM value_fixes
               WHERE id = $1::uuid AND ${EXPIRED_CLAIM} FOR UPDATE)
             UPDATE value_fixes f SET restart_claimed_at = now(), updated_at = now() FROM old WHERE f.id = old.id
             RETURNING f.restart_claimed_at AS claimed, old.previous`,
            fix.id,
            from.claimMs,
          );
    const row = rows[0];
    if (!row) return null;
    for (const event of applied) await appendAuditEvent(tx, event);
    await appendAuditEvent(
      tx,
      from.kind === "applied"
        ? fixEvent(fix, "secret.fix.restart.requested", "pending", actor, { consumers: consumers.map(label) })
        : fixEvent(fix, "secret.fix.restart.resumed", "pending", actor, {
            consumers: consumers.map(label),
            expiredClaim: row.previous?.toISOString() ?? null,
          }),
    );
    return row.claimed;
  });
  if (!claim) return "not-claimed";

  try {
    const result = await restartConsumers(access!, fix.cluster, [...consumers], new Date(), fix.id);
    const restarted = result.restarted.map(label);
    const alreadyRestarted = result.alreadyRestarted.map(label);
    const skipped = result.skipped.map((s) => `${label(s.consumer)}: ${s.reason}`);
    const recorded = await finish(
      prisma,
      fix,
      claim,
      { state: "restarted", restarted: [...alreadyRestarted, ...restarted] },
      fixEvent(fix, "secret.fix.restart", "success", actor, {
        restarted,
        ...(alreadyRestarted.length > 0 ? { alreadyRestarted } : {}),
        skipped,
      }),
    );
    return recorded ? "restarted" : "not-claimed";
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const recorded = await finish(
      prisma,
      fix,
      claim,
      { state: "failed", failure: `The restart failed: ${message}`.slice(0, 500) },
      fixEvent(fix, "secret.fix.restart", "failure", actor, { error: message }),
    );
    return recorded ? "failed" : "not-claimed";
  }
}

/**
 * Records how the claimed restart ended, if the claim is still this one (a replica that stalled past its
 * claim leaves the outcome to the one that resumed it); if its event cannot be written, the row still
 * says it (logged). False when another claim took over.
 */
async function finish(
  prisma: PrismaClient,
  fix: ValueFix,
  claim: Date,
  data: { state: "restarted" | "failed"; restarted?: string[]; failure?: string },
  event: ReturnType<typeof fixEvent>,
): Promise<boolean> {
  const update = { ...data, finishedAt: new Date() };
  const where = { id: fix.id, state: "restarting", restartClaimedAt: claim };
  try {
    return await prisma.$transaction(async (tx) => {
      const changed = await tx.valueFix.updateMany({ where, data: update });
      if (changed.count !== 1) return false;
      await appendAuditEvent(tx, event);
      return true;
    });
  } catch (error) {
    logger.error({ err: error, fixId: fix.id }, "value fix outcome not audited; recording its state alone");
    return (await prisma.valueFix.updateMany({ where, data: update })).count === 1;
  }
}
