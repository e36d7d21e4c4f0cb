"use server";

import { revalidatePath } from "next/cache";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { announceAccessChange } from "../access-changes";
import { authorizedAction } from "../authorized-action";
import { recordAuthEvent } from "../record-auth-event";
import { removeNamespaceGrantSchema } from "../user-schemas";

// Server action – take a namespace grant away; it applies to the user's next request.
export const removeNamespaceGrant = authorizedAction({
  permission: "users:manage",
  input: removeNamespaceGrantSchema,
  async run({ grantId }, { principal }) {
    const prisma = getPrismaOrThrow();
    const grant = await prisma.namespaceGrant.findUnique({
      where: { id: grantId },
      include: { user: { select: { username: true } } },
    });
    if (!grant) throw new AppError("not_found", "No such grant.");
    await prisma.$transaction(async (tx) => {
      // Audited first and in the same transaction: no audit record, no change.
      await recordAuthEvent(tx, {
        type: "auth.grant-removed",
        actor: principal.username,
        client: principal.client,
        actorRole: principal.role,
        subject: grant.user.username,
        details: { cluster: grant.cluster, namespace: grant.namespace },
      });
      await tx.namespaceGrant.delete({ where: { id: grantId } });
    });
    announceAccessChange();
    revalidatePath("/settings");
    return { removed: true };
  },
});
