import "server-only";
import { decode } from "next-auth/jwt";
import type { PrismaClient } from "@/lib/db/generated/client";
import { getEnv } from "@/lib/config/env";
import { getAuthSecretOrThrow } from "./auth-secret";
import type { Principal } from "./principal";
import { recheckSsoSession } from "./recheck-sso-session";
import { roleSchema } from "./roles";

// Only bump last_seen_at this often: a write per request would cost more than the information is worth.
const touchEveryMs = 5 * 60_000;

/**
 * The principal behind a session cookie value, or null. The cookie is a next-auth JWT (signed and
 * encrypted with NEXTAUTH_SECRET) that carries only a session id; the session must exist in the
 * database, belong to the token's user, be unexpired and not revoked. User, role and grants are read
 * fresh, so revocations and role changes apply to the very next request.
 */
export async function loadPrincipal(
  prisma: PrismaClient,
  sessionToken: string | undefined,
  now = new Date(),
): Promise<Principal | null> {
  if (!sessionToken) return null;
  let sid: unknown;
  let sub: unknown;
  try {
    const token = await decode({ token: sessionToken, secret: getAuthSecretOrThrow() });
    sid = token?.sid;
    sub = token?.sub;
  } catch {
    return null; // tampered, expired, or signed with another secret
  }
  if (typeof sid !== "string" || typeof sub !== "string") return null;
  const session = await prisma.authSession.findUnique({
    where: { id: sid },
    include: { user: { include: { grants: { select: { cluster: true, namespace: true } } } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || session.userId !== sub) return null;
  // An external sign-in's re-check is due: with a refresh token the server asks the provider now and
  // reads the user again; otherwise the user signs in again, so the provider's current groups apply.
  if (session.recheckAt && session.recheckAt <= now) {
    const outcome = await recheckSsoSession(prisma, session, {
      env: getEnv(),
      secret: getAuthSecretOrThrow(),
      now,
    });
    if (outcome === "ended") return null;
    if (outcome === "kept") return loadPrincipal(prisma, sessionToken, now);
  }
  const role = roleSchema.safeParse(session.user.role);
  if (!role.success) return null;
  if (!session.lastSeenAt || now.getTime() - session.lastSeenAt.getTime() > touchEveryMs) {
    await prisma.authSession.update({ where: { id: sid }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return {
    sessionId: session.id,
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: role.data,
    mustChangePassword: user.mustChangePassword,
    grants: user.grants,
    external: user.externalProvider !== null,
    signInProvider: session.provider,
  };
}
