import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import type { Principal } from "@/lib/auth/principal";
import type { PrismaClient, ValueFix } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors/app-error";
import { requireKubeAccess } from "@/lib/kube/check-kube-access";
import type { ClusterCache } from "@/lib/kube/cluster-cache";
import { forceSyncExternalSecret } from "@/lib/kube/force-sync-external-secret";
import { logger } from "@/lib/log/logger";
import { readSyncedVersion } from "./check-fix-applied";
import { fixEvent } from "./fix-audit";

/**
 * An ExternalSecret's fix, once the user confirmed the provider holds the corrected value: remember the
 * sync ESO reported so far, then force-sync as the user. The fix then waits (state waiting_apply) for a
 * newer sync; a refused or failed force-sync ends it as failed, audited.
 */
export async function forceSyncForFix(
  prisma: PrismaClient,
  fix: ValueFix,
  cluster: ClusterCache,
  principal: Principal,
): Promise<void> {
  const actor = principalActor(principal);
  const version = cluster.status().externalSecretsVersion ?? "v1";
  const access = cluster.accessFor(principal);
  const startedAt = new Date();
  try {
    const before = await readSyncedVersion(cluster.loadConfig(), fix, version);
    await requireKubeAccess(access.kc, fix.cluster, access.as, {
      verb: "patch",
      group: "external-secrets.io",
      resource: "externalsecrets",
      namespace: fix.namespace,
      name: fix.name,
    });
    // Recorded before the patch: a sync ESO reports from now on is one the force-sync asked for.
    await prisma.valueFix.update({
      where: { id: fix.id },
      data: { forceSyncedAt: startedAt, syncedVersionBefore: before },
    });
    const annotation = await forceSyncExternalSecret(
      access,
      { cluster: fix.cluster, kind: "ExternalSecret", namespace: fix.namespace, name: fix.name, version },
      startedAt,
    );
    await appendAuditEvent(
      prisma,
      fixEvent(fix, "secret.fix.force_sync", "success", actor, { annotation }),
    ).catch((error: unknown) => logger.error({ err: error, fixId: fix.id }, "audit outcome not recorded"));
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await prisma
      .$transaction(async (tx) => {
        await tx.valueFix.updateMany({
          where: { id: fix.id, state: "waiting_apply" },
          data: {
            state: "failed",
            failure: `The force-sync failed: ${message}`.slice(0, 500),
            finishedAt: new Date(),
          },
        });
        await appendAuditEvent(
          tx,
          fixEvent(fix, "secret.fix.force_sync", "failure", actor, { error: message }),
        );
      })
      .catch((auditError: unknown) =>
        logger.error({ err: auditError, fixId: fix.id }, "audit outcome not recorded"),
      );
    if (error instanceof AppError) throw error;
    throw new AppError("bad_gateway", `The force-sync of ${fix.namespace}/${fix.name} failed.`);
  }
}
