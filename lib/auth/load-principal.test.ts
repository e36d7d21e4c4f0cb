import { encode } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { createAuthSession } from "./create-auth-session";
import { loadPrincipal } from "./load-principal";

const secret = "load-principal-test-secret-0123456789abcdef0123";
vi.hoisted(() => {
  process.env.NEXTAUTH_SECRET = "load-principal-test-secret-0123456789abcdef0123";
});

// Issue #17: an identity-provider session ends when its re-check is due (SEALDECK_SSO_RECHECK_MINUTES),
// so the user signs in again and the provider's current groups apply; and such users have no password.
describe("loadPrincipal", () => {
  const { prisma } = setupMigratedDatabase();

  it("ends an external session once its re-check is due, and marks the user as external", async () => {
    const user = await prisma.user.create({
      data: {
        username: "sso-user",
        displayName: "SSO User",
        role: "developer",
        externalProvider: "oidc",
        externalSubject: "sub-sso",
        managedByGroups: true,
      },
    });
    const start = new Date("2030-01-01T00:00:00Z");
    const session = await createAuthSession(prisma, {
      userId: user.id,
      provider: "oidc",
      hours: 12,
      recheckMinutes: 60,
      now: start,
    });
    const cookie = await encode({ token: { sub: user.id, sid: session.id }, secret });
    const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

    expect(await loadPrincipal(prisma, cookie, minutes(59))).toMatchObject({
      username: "sso-user",
      external: true,
      signInProvider: "oidc",
    });
    expect(await loadPrincipal(prisma, cookie, minutes(60))).toBeNull();
  });

  it("never re-checks a local account's session", async () => {
    const user = await prisma.user.create({ data: { username: "local", displayName: "L", role: "auditor" } });
    const start = new Date("2030-01-01T00:00:00Z");
    const session = await createAuthSession(prisma, {
      userId: user.id,
      provider: "credentials",
      hours: 12,
      now: start,
    });
    const cookie = await encode({ token: { sub: user.id, sid: session.id }, secret });
    const later = new Date(start.getTime() + 11 * 3_600_000);
    expect(await loadPrincipal(prisma, cookie, later)).toMatchObject({ username: "local", external: false });
  });
});
