"use server";

import { revalidatePath } from "next/cache";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { authorizedAction } from "../authorized-action";
import { recordAuthEvent } from "../record-auth-event";
import { addNamespaceGrantSchema } from "../user-schemas";

// Server action – let a user act in one namespace of one cluster ("*" for all).
export const addNamespaceGrant = authorizedAction({
  permission: "users:manage",
  input: addNamespaceGrantSchema,
  async run({ userId, cluster, namespace }, { principal }) {
    const prisma = getPrismaOrThrow();
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { username: true } });
    if (!user) throw new AppError("not_found", "No such user.");
    await prisma.$transaction(async (tx) => {
      // Audited first and in the same transaction: no audit record, no change.
      await recordAuthEvent(tx, {
        type: "auth.grant-added",
        actor: principal.username,
        client: principal.client,
        actorRole: principal.role,
        subject: user.username,
        details: { cluster, namespace },
      });
      await tx.namespaceGrant.upsert({
        where: { userId_cluster_namespace: { userId, cluster, namespace } },
        create: { userId, cluster, namespace, createdBy: principal.username },
        // An admin adding a grant the mapping already gave makes it theirs: the mapping will not remove it.
        update: { source: "admin", createdBy: principal.username },
      });
    });
    revalidatePath("/settings");
    return { cluster, namespace };
  },
});
