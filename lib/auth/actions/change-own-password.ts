"use server";

import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { announceAccessChange } from "../access-changes";
import { authorizedAction } from "../authorized-action";
import { hashPassword, verifyPassword } from "../password-hash";
import { recordAuthEvent } from "../record-auth-event";
import { changeOwnPasswordSchema } from "../user-schemas";

// Server action – replace one's own password (required after a one-time password); other sessions end.
export const changeOwnPassword = authorizedAction({
  permission: "account:self",
  input: changeOwnPasswordSchema,
  async run({ currentPassword, newPassword }, { principal }) {
    const prisma = getPrismaOrThrow();
    const user = await prisma.user.findUniqueOrThrow({ where: { id: principal.userId } });
    if (!user.passwordHash)
      throw new AppError(
        "bad_request",
        "This account signs in through an identity provider; change the password there.",
      );
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new AppError("unprocessable", "The current password is not correct.");
    }
    const passwordHash = await hashPassword(newPassword);
    await prisma.$transaction(async (tx) => {
      // Audited first and in the same transaction: no audit record, no change.
      await recordAuthEvent(tx, {
        type: "auth.password-changed",
        actor: user.username,
        actorRole: principal.role,
        client: principal.client,
      });
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
      // Every other session of this account ends; this one goes on.
      await tx.authSession.updateMany({
        where: { userId: user.id, revokedAt: null, id: { not: principal.sessionId } },
        data: { revokedAt: new Date() },
      });
    });
    announceAccessChange();
    return { changed: true };
  },
});
