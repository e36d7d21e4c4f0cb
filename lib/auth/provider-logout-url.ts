import "server-only";
import { z } from "zod";
import type { Env } from "@/lib/config/env";
import { logger } from "@/lib/log/logger";

// OpenID Connect RP-Initiated Logout 1.0: after Sealdeck's own session is gone, the browser goes to the
// provider's end_session_endpoint (from its discovery document) so the provider's session ends too, and
// comes back to the sign-in page. Without that endpoint (or an unreachable issuer) it goes straight there.

const discoverySchema = z.object({ end_session_endpoint: z.url().optional() });

export async function providerLogoutUrl(env: Env, signInUrl: string): Promise<string> {
  const issuer = env.SEALDECK_OIDC_ISSUER?.replace(/\/$/, "");
  if (!issuer || !env.SEALDECK_OIDC_CLIENT_ID) return signInUrl;
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(3500),
    });
    if (!response.ok) return signInUrl;
    const endpoint = discoverySchema.parse(await response.json()).end_session_endpoint;
    if (!endpoint) return signInUrl;
    const url = new URL(endpoint);
    url.searchParams.set("client_id", env.SEALDECK_OIDC_CLIENT_ID);
    url.searchParams.set("post_logout_redirect_uri", signInUrl);
    return url.toString();
  } catch (error) {
    logger.warn({ err: error }, "OIDC discovery failed at sign-out; the provider's session stays open");
    return signInUrl;
  }
}
