import "server-only";
import { z } from "zod";
import type { Env } from "@/lib/config/env";
import type { PrismaClient } from "@/lib/db/generated/client";
import { logger } from "@/lib/log/logger";
import { announceAccessChange } from "./access-changes";
import { externalIdentity } from "./external-identity";
import { openProviderToken, sealProviderToken } from "./provider-token-cipher";
import { resolveExternalUser } from "./resolve-external-user";

// The periodic group re-check of an OIDC session that holds a refresh token (scope offline_access):
// instead of ending the session at recheck_at, the server refreshes at the token endpoint, reads
// userinfo with the new access token, and re-applies the group mapping (role and grants updated and
// audited, or the user demoted and every session revoked, by resolveExternalUser). Anything short of a
// clear answer (provider down, refresh refused, userinfo without the groups claim or for another
// subject) ends the session as before, so the user signs in again: a failure never keeps or widens
// access, and never removes it on a guess.

export type RecheckEnv = Pick<
  Env,
  | "SEALDECK_OIDC_ISSUER"
  | "SEALDECK_OIDC_CLIENT_ID"
  | "SEALDECK_OIDC_CLIENT_SECRET"
  | "SEALDECK_OIDC_GROUPS_CLAIM"
  | "SEALDECK_SSO_RECHECK_MINUTES"
  | "SEALDECK_SSO_ADMIN_GROUPS"
  | "SEALDECK_SSO_ADMIN_USERS"
>;

export type RecheckableSession = {
  id: string;
  userId: string;
  provider: string;
  recheckAt: Date | null;
  providerRefreshToken: string | null;
};

/** kept: re-checked, access re-applied (read the user again); busy: another request is re-checking it. */
export type RecheckOutcome = "kept" | "busy" | "ended";

// How long one re-check may hold the session before another request may try again.
const leaseMs = 60_000;
const timeoutMs = 5_000;

const discoverySchema = z.object({ token_endpoint: z.url(), userinfo_endpoint: z.url() });
const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
});

/** RFC 6749 §2.3.1: client_secret_basic encodes id and secret as form values first. */
const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

async function json(url: string, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
  // Status and path only: an error body can echo the token.
  if (!response.ok) throw new Error(`${response.status} from ${new URL(url).pathname}`);
  return response.json();
}

async function refreshClaims(env: RecheckEnv, refreshToken: string) {
  const issuer = (env.SEALDECK_OIDC_ISSUER ?? "").replace(/\/$/, "");
  const discovery = discoverySchema.parse(
    await json(`${issuer}/.well-known/openid-configuration`, { headers: { accept: "application/json" } }),
  );
  const tokens = tokenSchema.parse(
    await json(discovery.token_endpoint, {
      method: "POST",
      headers: {
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
        authorization: basicAuth(env.SEALDECK_OIDC_CLIENT_ID ?? "", env.SEALDECK_OIDC_CLIENT_SECRET ?? ""),
      },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }).toString(),
    }),
  );
  const claims = z.record(z.string(), z.unknown()).parse(
    await json(discovery.userinfo_endpoint, {
      headers: { accept: "application/json", authorization: `Bearer ${tokens.access_token}` },
    }),
  );
  return { claims, refreshToken: tokens.refresh_token ?? refreshToken };
}

/** Re-checks a due OIDC session with its refresh token; "ended" when there is none or it fails. */
export async function recheckSsoSession(
  prisma: PrismaClient,
  session: RecheckableSession,
  { env, secret, now = new Date() }: { env: RecheckEnv; secret: string; now?: Date },
): Promise<RecheckOutcome> {
  if (session.provider !== "oidc" || !session.providerRefreshToken || !session.recheckAt) return "ended";
  if (!env.SEALDECK_OIDC_ISSUER || !env.SEALDECK_OIDC_CLIENT_ID || !env.SEALDECK_OIDC_CLIENT_SECRET) {
    return "ended";
  }
  // One request re-checks (a refresh token may be single-use); the others carry on meanwhile.
  const claimed = await prisma.authSession.updateMany({
    where: { id: session.id, recheckAt: session.recheckAt, revokedAt: null },
    data: { recheckAt: new Date(now.getTime() + leaseMs) },
  });
  if (claimed.count === 0) return "busy";
  const end = async (reason: string) => {
    logger.warn(
      { event: "auth.sso-recheck-failed", reason, sessionProvider: session.provider },
      "SSO re-check",
    );
    await prisma.authSession.update({
      where: { id: session.id },
      data: { recheckAt: now, providerRefreshToken: null },
    });
    return "ended" as const;
  };
  const refreshToken = openProviderToken(secret, session.id, session.providerRefreshToken);
  if (!refreshToken) return end("refresh-token-unreadable");
  const user = await prisma.user.findUnique({
    where: { id: session.userId },
    select: { externalProvider: true, externalSubject: true },
  });
  if (user?.externalProvider !== "oidc" || !user.externalSubject) return end("not-an-oidc-user");
  let refreshed: Awaited<ReturnType<typeof refreshClaims>>;
  try {
    refreshed = await refreshClaims(env, refreshToken);
  } catch (error) {
    return end(
      error instanceof z.ZodError ? "invalid-response" : (error as Error).message || "provider-error",
    );
  }
  const { claims } = refreshed;
  if (claims.sub !== user.externalSubject) return end("userinfo-for-another-subject");
  // Groups only in the ID token (e.g. Entra ID): userinfo cannot tell, so sign in again.
  if (claims[env.SEALDECK_OIDC_GROUPS_CLAIM] === undefined) return end("no-groups-in-userinfo");
  const resolved = await resolveExternalUser(
    prisma,
    externalIdentity("oidc", user.externalSubject, claims, env),
    { groups: env.SEALDECK_SSO_ADMIN_GROUPS, users: env.SEALDECK_SSO_ADMIN_USERS },
  );
  if (resolved.userId === null) {
    // Demoted, and every session revoked (audited) by resolveExternalUser.
    announceAccessChange();
    return "ended";
  }
  const recheckAt =
    env.SEALDECK_SSO_RECHECK_MINUTES > 0
      ? new Date(now.getTime() + env.SEALDECK_SSO_RECHECK_MINUTES * 60_000)
      : null;
  await prisma.authSession.update({
    where: { id: session.id },
    data: { recheckAt, providerRefreshToken: sealProviderToken(secret, session.id, refreshed.refreshToken) },
  });
  // Role or grants may have changed: live streams re-check their viewers now.
  announceAccessChange();
  return "kept";
}
