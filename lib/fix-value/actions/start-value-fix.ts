"use server";

import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { findRecordOrThrow } from "@/lib/kube/find-record-or-throw";
import { logger } from "@/lib/log/logger";
import { rotateHref } from "@/lib/validations/seal-form";
import { startValueFixInputSchema } from "@/lib/validations/value-fix";
import { fixEvent } from "../fix-audit";
import { forceSyncForFix } from "../force-sync-for-fix";

const active = ["proposing", "waiting_merge", "waiting_apply", "restarting"];

// Server action – "Fix a value": record the fix (audited first), then lead to the rotate form
// (SealedSecret) or force-sync now (ExternalSecret); the value-fix job restarts the consumers later.
export const startValueFix = authorizedAction({
  permission: "secret:fix-value",
  input: startValueFixInputSchema,
  resource: (input) => ({ cluster: input.cluster, namespace: input.namespace }),
  async run(input, { principal }) {
    const { record, cluster } = await findRecordOrThrow(input);
    const kind = record.kind === "SealedSecret" ? "SealedSecret" : "ExternalSecret";
    const keys = kind === "SealedSecret" ? [...new Set(input.keys)].sort() : record.keys;
    const unknown = keys.filter((key) => !record.keys.includes(key));
    if (kind === "SealedSecret" && unknown.length > 0)
      throw new AppError(
        "bad_request",
        `${unknown.join(", ")} ${unknown.length === 1 ? "is not a key" : "are not keys"} of this secret.`,
      );
    const prisma = getPrismaOrThrow();
    const address = { cluster: input.cluster, namespace: input.namespace, kind, name: input.name };
    const underway = await prisma.valueFix.findFirst({ where: { ...address, state: { in: active } } });
    if (underway)
      throw new AppError(
        "conflict",
        "A fix of this secret is already under way: follow it below, or cancel it first.",
      );

    let fix;
    try {
      fix = await prisma.$transaction(async (tx) => {
        const row = await tx.valueFix.create({
          data: {
            ...address,
            keys,
            state: kind === "SealedSecret" ? "proposing" : "waiting_apply",
            requestedById: principal.userId,
            // As the audit log names them (see record-proposal's requestedBy).
            requestedByName: principal.username.slice(0, 200),
          },
        });
        await appendAuditEvent(
          tx,
          fixEvent(row, "secret.fix.requested", "pending", principalActor(principal), {
            consumers: record.consumers.map((c) => `${c.kind} ${c.namespace}/${c.name}`),
            ...(kind === "ExternalSecret" ? { providerUpdated: true } : {}),
          }),
        );
        return row;
      });
    } catch (error) {
      logger.error({ err: error, action: "secret.fix.requested" }, "audit write failed; fix refused");
      throw new AppError(
        "unavailable",
        "The audit log cannot be written right now, so nothing was started. Try again later.",
      );
    }
    if (kind === "SealedSecret")
      return {
        fixId: fix.id,
        next: rotateHref({ clusters: [input.cluster], namespace: input.namespace, name: input.name, keys }),
      };
    await forceSyncForFix(prisma, fix, cluster, principal);
    return { fixId: fix.id, next: null };
  },
});
