import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { Env } from "@/lib/config/env";
import { fetchGithubProfile, type GithubProfile } from "./fetch-github-profile";

// next-auth's Profile has optional strings where GitHub sends null.
type SignInProfile = Omit<GithubProfile, "name" | "email"> & { name?: string; email?: string };

/** Where GitHub is: github.com, or a GitHub Enterprise Server (https://HOST and https://HOST/api/v3). */
export function githubEndpoints(env: Pick<Env, "SEALDECK_GITHUB_URL" | "SEALDECK_GITHUB_API_URL">) {
  const web = env.SEALDECK_GITHUB_URL.replace(/\/+$/, "");
  const api =
    env.SEALDECK_GITHUB_API_URL?.replace(/\/+$/, "") ??
    (new URL(web).hostname === "github.com" ? "https://api.github.com" : `${web}/api/v3`);
  return {
    authorize: `${web}/login/oauth/authorize`,
    token: `${web}/login/oauth/access_token`,
    api,
  };
}

/**
 * GitHub sign-in through an OAuth app: the web flow (authorize, then the code exchanged at
 * access_token), then the REST API for the profile, organizations and teams (the groups the mapping
 * reads). Scopes: read:user and user:email for the profile, read:org for organizations and teams.
 */
export function githubProvider(env: Env): OAuthConfig<SignInProfile> | null {
  if (!env.SEALDECK_GITHUB_CLIENT_ID || !env.SEALDECK_GITHUB_CLIENT_SECRET) return null;
  const endpoints = githubEndpoints(env);
  return {
    id: "github",
    name: "GitHub",
    type: "oauth",
    issuer: endpoints.authorize.replace(/\/authorize$/, ""),
    clientId: env.SEALDECK_GITHUB_CLIENT_ID,
    clientSecret: env.SEALDECK_GITHUB_CLIENT_SECRET,
    authorization: { url: endpoints.authorize, params: { scope: "read:user user:email read:org" } },
    token: endpoints.token,
    checks: ["state"],
    userinfo: {
      url: `${endpoints.api}/user`,
      async request({ tokens }) {
        if (!tokens.access_token) throw new Error("invalid_response (no access token from GitHub)");
        const { name, email, ...rest } = await fetchGithubProfile(endpoints.api, tokens.access_token);
        return { ...rest, name: name ?? undefined, email: email ?? undefined };
      },
    },
    profile: (profile) => ({
      id: profile.id,
      name: profile.name ?? profile.login,
      email: profile.email ?? null,
    }),
  };
}
