import "server-only";
import type { Env } from "@/lib/config/env";
import { readGroupsClaim } from "./map-groups-to-access";
import type { ExternalIdentity } from "./resolve-external-user";

/** Who an OIDC or GitHub profile is, and their groups, for the group mapping. */
export function externalIdentity(
  provider: string,
  subject: string,
  profile: Record<string, unknown>,
  env: Pick<Env, "SEALDECK_OIDC_GROUPS_CLAIM">,
): ExternalIdentity {
  const text = (key: string) => (typeof profile[key] === "string" ? (profile[key] as string) : undefined);
  if (provider === "github") {
    const login = (text("login") ?? subject).toLowerCase();
    // github:<login>, github:<org>, github:<org>/<team-slug> (lib/auth/fetch-github-profile.ts).
    const groups = readGroupsClaim(profile, "groups");
    return {
      provider,
      subject,
      username: login,
      displayName: text("name") ?? login,
      email: text("email") ?? null,
      groups: groups.length > 0 ? groups : [`github:${login}`],
    };
  }
  const username = (text("preferred_username") ?? text("email") ?? subject).toLowerCase();
  return {
    provider,
    subject,
    username,
    displayName: text("name") ?? username,
    email: text("email") ?? null,
    groups: readGroupsClaim(profile, env.SEALDECK_OIDC_GROUPS_CLAIM),
  };
}
