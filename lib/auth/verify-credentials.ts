import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors/app-error";
import { logger } from "@/lib/log/logger";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "./password-hash";
import { takeSignInToken } from "./rate-limit";
import { recordAuthEvent } from "./record-auth-event";

export type LockoutPolicy = { attempts: number; minutes: number };
export type CredentialsInput = { username: string; password: string; ip: string };
export type VerifiedUser = { id: string; username: string; displayName: string };

/** The one message for every failed password sign-in: it never says whether the account exists or is locked. */
export const genericSignInError =
  "Sign-in failed: wrong username or password, or the account is locked for a while.";

/**
 * Checks a local account's password. Rate-limited per address and per address + username (in Postgres,
 * shared by replicas), and locks the account for `policy.minutes` after `policy.attempts` failures in a
 * row (a counter on the user's row, so also shared). An unknown user,
 * a locked account and a wrong password take the same time and give the same answer (null).
 */
export async function verifyCredentials(
  prisma: PrismaClient,
  { username, password, ip }: CredentialsInput,
  policy: LockoutPolicy,
  now = new Date(),
): Promise<VerifiedUser | null> {
  const name = username.trim().toLowerCase();
  if (!(await takeSignInToken(prisma, ip, name, now.getTime()))) {
    // Logged, not audited: a flood of refused attempts must not be able to flood the audit log.
    logger.warn({ ip }, "sign-in rate limit reached");
    throw new AppError("rate_limited", "Too many sign-in attempts. Wait a minute, then try again.");
  }
  const user = name && password ? await prisma.user.findUnique({ where: { username: name } }) : null;
  if (!user?.passwordHash) {
    await verifyAgainstDummy(password);
    await recordAuthEvent(prisma, {
      type: "auth.sign-in-failed",
      actor: null,
      details: { reason: "unknown-user" },
      ip,
    });
    return null;
  }
  const passwordOk = await verifyPassword(password, user.passwordHash);
  if (user.lockedUntil && user.lockedUntil > now) {
    await recordAuthEvent(prisma, {
      type: "auth.sign-in-failed",
      actor: null,
      subject: name,
      details: { reason: "locked" },
      ip,
    });
    return null;
  }
  if (!passwordOk) {
    const { failedSignIns } = await prisma.user.update({
      where: { id: user.id },
      data: { failedSignIns: { increment: 1 } },
      select: { failedSignIns: true },
    });
    const lock = failedSignIns >= policy.attempts;
    if (lock) {
      await prisma.user.update({
        where: { id: user.id },
        data: { failedSignIns: 0, lockedUntil: new Date(now.getTime() + policy.minutes * 60_000) },
      });
    }
    await recordAuthEvent(prisma, {
      type: "auth.sign-in-failed",
      actor: null,
      subject: name,
      details: { reason: lock ? "wrong-password-locked" : "wrong-password" },
      ip,
    });
    return null;
  }
  await prisma.user.update({
    where: { id: user.id },
    data: {
      failedSignIns: 0,
      lockedUntil: null,
      // Parameters stored with the hash let a successful sign-in upgrade an old hash transparently.
      ...(needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(password) } : {}),
    },
  });
  return { id: user.id, username: user.username, displayName: user.displayName };
}
