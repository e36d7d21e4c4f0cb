import "server-only";
import type { AuthOptions, Profile } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { getEnv, type Env } from "@/lib/config/env";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { getAuthSecretOrThrow } from "./auth-secret";
import { announceAccessChange } from "./access-changes";
import { currentAuthRequest } from "./auth-request-context";
import { createAuthSession } from "./create-auth-session";
import { githubProvider } from "./github-provider";
import { CLIENT_IP_HEADER } from "./guard-forwarded-headers";
import { mergeOidcClaims, type Claims } from "./merge-oidc-claims";
import { nextAuthLogger } from "./next-auth-logger";
import { recordAuthEvent } from "./record-auth-event";
import { externalIdentity } from "./external-identity";
import { resolveExternalUser } from "./resolve-external-user";
import { revokeAuthSessions } from "./revoke-auth-sessions";
import { isHttps } from "./session-cookie";
import { verifyCredentials } from "./verify-credentials";

type OidcProfile = Profile & Record<string, unknown> & { sub: string };

function oidcProvider(env: Env): OAuthConfig<OidcProfile> | null {
  const issuer = env.SEALDECK_OIDC_ISSUER?.replace(/\/$/, "");
  if (!issuer || !env.SEALDECK_OIDC_CLIENT_ID || !env.SEALDECK_OIDC_CLIENT_SECRET) return null;
  return {
    id: "oidc",
    name: env.SEALDECK_OIDC_NAME,
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    issuer,
    clientId: env.SEALDECK_OIDC_CLIENT_ID,
    clientSecret: env.SEALDECK_OIDC_CLIENT_SECRET,
    authorization: {
      params: {
        scope: env.SEALDECK_OIDC_SCOPES,
        // OIDC Core §11: offline_access is honoured only with prompt=consent (oidc-provider drops it).
        ...(env.SEALDECK_OIDC_SCOPES.split(/\s+/).includes("offline_access") ? { prompt: "consent" } : {}),
      },
    },
    idToken: true,
    checks: ["pkce", "state"],
    // Claims from the ID token first, then userinfo (where most providers send groups).
    userinfo: {
      async request({ tokens, client }) {
        // next-auth passes openid-client's TokenSet here (its types say only the parameters).
        const tokenSet = tokens as Parameters<typeof client.userinfo>[0] & { claims(): Claims };
        const idClaims = tokenSet.claims();
        const hasEndpoint = Boolean(client.issuer.metadata.userinfo_endpoint);
        const userinfo =
          hasEndpoint && tokens.access_token ? ((await client.userinfo(tokenSet)) as Claims) : null;
        return mergeOidcClaims(idClaims, userinfo, env.SEALDECK_OIDC_GROUPS_CLAIM) as OidcProfile;
      },
    },
    profile: (profile) => ({
      id: profile.sub,
      name:
        (profile.name as string | undefined) ??
        (profile.preferred_username as string | undefined) ??
        profile.sub,
      email: (profile.email as string | undefined) ?? null,
    }),
  };
}

function clientIp(headers: Record<string, unknown> | undefined): string {
  // Resolved from the socket and the trusted proxies by the guard; a client-sent X-Forwarded-For is not it.
  const resolved = headers?.[CLIENT_IP_HEADER];
  return (typeof resolved === "string" && resolved.trim()) || (currentAuthRequest()?.ip ?? "unknown");
}

/** next-auth's configuration: local accounts, OIDC and GitHub by env, JWT cookies bound to server-side sessions. */
export function getAuthOptions(): AuthOptions {
  const env = getEnv();
  const prisma = getPrismaOrThrow();
  const maxAge = env.SEALDECK_SESSION_HOURS * 3600;
  const oidc = oidcProvider(env);
  const github = githubProvider(env);
  return {
    secret: getAuthSecretOrThrow(),
    useSecureCookies: isHttps(),
    session: { strategy: "jwt", maxAge },
    jwt: { maxAge },
    pages: { signIn: "/sign-in", error: "/sign-in", signOut: "/sign-in" },
    logger: nextAuthLogger,
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Username and password",
        credentials: {
          username: { label: "Username", type: "text" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          try {
            const user = await verifyCredentials(
              prisma,
              {
                username: credentials?.username ?? "",
                password: credentials?.password ?? "",
                ip: clientIp(req.headers),
              },
              { attempts: env.SEALDECK_LOCKOUT_ATTEMPTS, minutes: env.SEALDECK_LOCKOUT_MINUTES },
            );
            return user ? { id: user.id, name: user.displayName } : null;
          } catch (error) {
            // next-auth puts a thrown message into the redirect's ?error=; send a code, not prose.
            if (error instanceof AppError && error.code === "rate_limited") throw new Error("RateLimited");
            throw error;
          }
        },
      }),
      ...(oidc ? [oidc] : []),
      ...(github ? [github] : []),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (!account) return false;
        if (account.type === "credentials") return true;
        const identity = externalIdentity(
          account.provider,
          account.providerAccountId,
          (profile ?? {}) as Record<string, unknown>,
          env,
        );
        const resolved = await resolveExternalUser(prisma, identity, {
          groups: env.SEALDECK_SSO_ADMIN_GROUPS,
          users: env.SEALDECK_SSO_ADMIN_USERS,
        });
        if (resolved.userId === null) {
          // Its open sessions were revoked: live streams must drop the user now, not at their next tick.
          if (resolved.demoted) announceAccessChange();
          await recordAuthEvent(prisma, {
            type: "auth.sign-in-failed",
            actor: null,
            // Only a username Sealdeck knows is recorded (an attempted name may be anything).
            ...(resolved.demoted ? { subject: resolved.demoted } : {}),
            ip: clientIp(undefined),
            details: { reason: "no-role-for-groups", provider: account.provider },
          });
          return "/sign-in?error=NotAuthorized";
        }
        return true;
      },
      async jwt({ token, user, account }) {
        if (!account || !user) return token; // an existing session: nothing to add
        const userId =
          account.type === "credentials"
            ? user.id
            : (
                await prisma.user.findUniqueOrThrow({
                  where: {
                    externalProvider_externalSubject: {
                      externalProvider: account.provider,
                      externalSubject: account.providerAccountId,
                    },
                  },
                  select: { id: true },
                })
              ).id;
        const signedIn = await prisma.user.findUniqueOrThrow({
          where: { id: userId },
          select: { username: true, role: true },
        });
        // Audited before the session exists: if the audit log refuses, the sign-in fails.
        await recordAuthEvent(prisma, {
          type: "auth.sign-in",
          actor: signedIn.username,
          actorUserId: userId,
          actorRole: signedIn.role,
          ip: clientIp(undefined),
          details: { provider: account.provider },
        });
        const session = await createAuthSession(prisma, {
          userId,
          provider: account.provider,
          hours: maxAge / 3600,
          recheckMinutes: account.type === "credentials" ? 0 : env.SEALDECK_SSO_RECHECK_MINUTES,
          // Kept server-side only (encrypted); the cookie below never carries it.
          ...(account.provider === "oidc" && account.refresh_token
            ? { refreshToken: { token: account.refresh_token, secret: getAuthSecretOrThrow() } }
            : {}),
        });
        // The cookie carries the session id and user id only: no name, email, role or grants.
        return { sub: userId, sid: session.id };
      },
      session({ session }) {
        return { expires: session.expires };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid !== "string") return;
        await revokeAuthSessions(prisma, { sessionId: token.sid });
        announceAccessChange();
        const user =
          typeof token.sub === "string"
            ? await prisma.user.findUnique({ where: { id: token.sub }, select: { username: true } })
            : null;
        await recordAuthEvent(prisma, {
          type: "auth.sign-out",
          actor: user?.username ?? null,
          ...(user && typeof token.sub === "string" ? { actorUserId: token.sub } : {}),
          ip: clientIp(undefined),
        });
      },
    },
  };
}
