import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";

/** Ends one session (sign-out) or every open session of a user (admin revoke, password reset). */
export async function revokeAuthSessions(
  prisma: Pick<PrismaClient, "authSession">,
  target: { sessionId: string } | { userId: string },
  now = new Date(),
): Promise<number> {
  const where = "sessionId" in target ? { id: target.sessionId } : { userId: target.userId };
  const { count } = await prisma.authSession.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now },
  });
  return count;
}
