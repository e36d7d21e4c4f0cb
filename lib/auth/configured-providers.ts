import "server-only";
import type { Env } from "@/lib/config/env";

// The external identity providers this deployment offers, from the environment. Shown as buttons on
// the sign-in page; an unconfigured provider is simply absent.

export type ExternalProvider = { id: "oidc" | "github"; name: string };

export function configuredProviders(env: Env): ExternalProvider[] {
  const providers: ExternalProvider[] = [];
  if (env.SEALDECK_OIDC_ISSUER && env.SEALDECK_OIDC_CLIENT_ID && env.SEALDECK_OIDC_CLIENT_SECRET) {
    providers.push({ id: "oidc", name: env.SEALDECK_OIDC_NAME });
  }
  if (env.SEALDECK_GITHUB_CLIENT_ID && env.SEALDECK_GITHUB_CLIENT_SECRET) {
    providers.push({ id: "github", name: "GitHub" });
  }
  return providers;
}
