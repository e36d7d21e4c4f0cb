import http from "node:http";
import { encode } from "next-auth/jwt";
import Provider from "oidc-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { createAuthSession } from "./create-auth-session";
import { loadPrincipal } from "./load-principal";
import { groupMappingSettingKey } from "./map-groups-to-access";
import { sealProviderToken } from "./provider-token-cipher";

// Issue #17: an OIDC session holding a refresh token is re-checked at the re-check interval without a
// re-sign-in: refresh at a real OpenID Provider (oidc-provider, in process), userinfo, group mapping.
const env = await vi.hoisted(async () => {
  const { execFileSync } = await import("node:child_process");
  const port = execFileSync(
    process.execPath,
    [
      "-e",
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
    ],
    { encoding: "utf8" },
  ).trim();
  const values = {
    NEXTAUTH_SECRET: "recheck-sso-session-test-secret-0123456789abcdef",
    SEALDECK_OIDC_ISSUER: `http://127.0.0.1:${port}`,
    SEALDECK_OIDC_CLIENT_ID: "sealdeck-test",
    SEALDECK_OIDC_CLIENT_SECRET: "recheck-test-client-secret-not-real",
    SEALDECK_SSO_RECHECK_MINUTES: "30",
  };
  Object.assign(process.env, values);
  return { ...values, port: Number(port) };
});

const groups: Record<string, string[]> = {};
const provider = new Provider(env.SEALDECK_OIDC_ISSUER, {
  clients: [
    {
      client_id: env.SEALDECK_OIDC_CLIENT_ID,
      client_secret: env.SEALDECK_OIDC_CLIENT_SECRET,
      redirect_uris: ["http://127.0.0.1/api/auth/callback/oidc"],
      grant_types: ["authorization_code", "refresh_token"],
    },
  ],
  scopes: ["openid", "profile", "groups", "offline_access"],
  claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      claims: async () => ({ sub: id, preferred_username: id, name: id, groups: groups[id] ?? [] }),
    };
  },
});
const server = http.createServer(provider.callback());

async function issueRefreshToken(accountId: string): Promise<string> {
  const client = await provider.Client.find(env.SEALDECK_OIDC_CLIENT_ID);
  const grant = new provider.Grant({ accountId, clientId: env.SEALDECK_OIDC_CLIENT_ID });
  grant.addOIDCScope("openid profile groups offline_access");
  const grantId = await grant.save();
  const now = Math.floor(Date.now() / 1000);
  const token = new provider.RefreshToken({
    accountId,
    client,
    grantId,
    scope: "openid profile groups offline_access",
    gty: "authorization_code",
    authTime: now,
    iiat: now,
  });
  return token.save();
}

describe("the re-check of an OIDC session with a refresh token", () => {
  const { prisma } = setupMigratedDatabase();
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(env.port, "127.0.0.1", resolve));
    await prisma.setting.create({
      data: {
        key: groupMappingSettingKey,
        value: [
          { group: "admins", role: "admin" },
          { group: "devs", role: "developer", grants: [{ cluster: "*", namespace: "staging" }] },
        ],
      },
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  let count = 0;
  let subject = "";
  beforeEach(() => {
    subject = `person-${++count}`;
    groups[subject] = ["admins"];
  });

  /** A group-managed admin signed in at `start` with a refresh token (or without one). */
  async function signedIn(start: Date, withRefreshToken = true) {
    const user = await prisma.user.create({
      data: {
        username: subject,
        displayName: subject,
        role: "admin",
        externalProvider: "oidc",
        externalSubject: subject,
        managedByGroups: true,
      },
    });
    const session = await createAuthSession(prisma, {
      userId: user.id,
      provider: "oidc",
      hours: 12,
      recheckMinutes: 30,
      now: start,
      ...(withRefreshToken
        ? { refreshToken: { token: await issueRefreshToken(subject), secret: env.NEXTAUTH_SECRET } }
        : {}),
    });
    const cookie = await encode({ token: { sub: user.id, sid: session.id }, secret: env.NEXTAUTH_SECRET });
    return { user, session, cookie };
  }

  const start = new Date();
  const later = new Date(start.getTime() + 31 * 60_000);

  it("keeps the session when the groups still map, and moves the next re-check on", async () => {
    const { session, cookie } = await signedIn(start);
    const stored = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(stored.providerRefreshToken).toMatch(/^v1\./);

    expect(await loadPrincipal(prisma, cookie, later)).toMatchObject({ username: subject, role: "admin" });
    const after = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(after.revokedAt).toBeNull();
    expect(after.recheckAt?.getTime()).toBe(later.getTime() + 30 * 60_000);
  });

  it("applies a group change at the provider to the open session: new role and grants, audited", async () => {
    const { cookie } = await signedIn(start);
    groups[subject] = ["devs"];
    expect(await loadPrincipal(prisma, cookie, later)).toMatchObject({
      role: "developer",
      grants: [{ cluster: "*", namespace: "staging" }],
    });
    const events = await prisma.auditEvent.findMany({
      where: { targetName: subject },
      select: { action: true },
    });
    expect(events.map((event) => event.action)).toEqual(
      expect.arrayContaining(["auth.role_changed", "auth.grant_added"]),
    );
  });

  it("ends every session and demotes a user whose groups no longer map", async () => {
    const { user, session, cookie } = await signedIn(start);
    groups[subject] = ["everyone"];
    expect(await loadPrincipal(prisma, cookie, later)).toBeNull();
    expect(
      (await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } })).revokedAt,
    ).not.toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("developer");
  });

  it("falls back to a re-sign-in when the provider refuses the refresh token, keeping the role", async () => {
    const { user, session, cookie } = await signedIn(start);
    await prisma.authSession.update({
      where: { id: session.id },
      data: {
        providerRefreshToken: sealProviderToken(
          env.NEXTAUTH_SECRET,
          session.id,
          "a-refresh-token-the-provider-never-issued",
        ),
      },
    });
    expect(await loadPrincipal(prisma, cookie, later)).toBeNull();
    const after = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(after.providerRefreshToken).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("admin");
  });

  it("without a refresh token, ends the session at the re-check as before", async () => {
    const { cookie } = await signedIn(start, false);
    expect(await loadPrincipal(prisma, cookie, later)).toBeNull();
  });
});
