"use server";

import { revalidatePath } from "next/cache";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { announceAccessChange } from "../access-changes";
import { authorizedAction } from "../authorized-action";
import { recordAuthEvent } from "../record-auth-event";
import { revokeAuthSessions } from "../revoke-auth-sessions";
import { revokeUserSessionsSchema } from "../user-schemas";

// Server action – sign a user out everywhere: their next request is anonymous.
export const revokeUserSessions = authorizedAction({
  permission: "users:manage",
  input: revokeUserSessionsSchema,
  async run({ userId }, { principal }) {
    const prisma = getPrismaOrThrow();
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { username: true } });
    if (!user) throw new AppError("not_found", "No such user.");
    const revoked = await prisma.$transaction(async (tx) => {
      // Audited first and in the same transaction: no audit record, no change.
      await recordAuthEvent(tx, {
        type: "auth.sessions-revoked",
        actor: principal.username,
        client: principal.client,
        actorRole: principal.role,
        subject: user.username,
      });
      return revokeAuthSessions(tx, { userId });
    });
    announceAccessChange();
    revalidatePath("/settings");
    return { revoked };
  },
});
