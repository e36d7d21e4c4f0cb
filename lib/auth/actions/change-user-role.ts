"use server";

import { revalidatePath } from "next/cache";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { announceAccessChange } from "../access-changes";
import { authorizedAction } from "../authorized-action";
import { recordAuthEvent } from "../record-auth-event";
import { changeUserRoleSchema } from "../user-schemas";

// Server action – set a user's role (Settings → Users and access); it applies to their next request.
export const changeUserRole = authorizedAction({
  permission: "users:manage",
  input: changeUserRoleSchema,
  async run({ userId, role }, { principal }) {
    const prisma = getPrismaOrThrow();
    const user = await prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new AppError("not_found", "No such user.");
    if (
      user.role === "admin" &&
      role !== "admin" &&
      (await prisma.user.count({ where: { role: "admin" } })) <= 1
    ) {
      throw new AppError("conflict", "This is the last admin; make someone else admin first.");
    }
    await prisma.$transaction(async (tx) => {
      // Audited first and in the same transaction: no audit record, no change.
      await recordAuthEvent(tx, {
        type: "auth.role-changed",
        actor: principal.username,
        client: principal.client,
        actorRole: principal.role,
        subject: user.username,
        details: { from: user.role, to: role },
      });
      // Assigned in the app from now on: the OIDC group mapping no longer overrides it at sign-in.
      await tx.user.update({ where: { id: userId }, data: { role, managedByGroups: false } });
    });
    announceAccessChange();
    revalidatePath("/settings");
    return { role };
  },
});
