import "server-only";
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/db/generated/client";
import { sealProviderToken } from "./provider-token-cipher";

/** Opens a server-side session for a user who just signed in; its id goes into the session cookie. */
export async function createAuthSession(
  prisma: PrismaClient,
  {
    userId,
    provider,
    hours,
    recheckMinutes = 0,
    refreshToken,
    now = new Date(),
  }: {
    userId: string;
    provider: string;
    hours: number;
    recheckMinutes?: number;
    /** The provider's refresh token and the key to encrypt it with (lib/auth/recheck-sso-session.ts). */
    refreshToken?: { token: string; secret: string };
    now?: Date;
  },
): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  const recheckAt = recheckMinutes > 0 ? new Date(now.getTime() + recheckMinutes * 60_000) : null;
  await prisma.$transaction([
    prisma.authSession.create({
      data: {
        id,
        userId,
        provider,
        createdAt: now,
        expiresAt,
        lastSeenAt: now,
        recheckAt,
        providerRefreshToken:
          refreshToken && recheckAt ? sealProviderToken(refreshToken.secret, id, refreshToken.token) : null,
      },
    }),
    prisma.user.update({ where: { id: userId }, data: { lastSignInAt: now } }),
  ]);
  return { id, expiresAt };
}
