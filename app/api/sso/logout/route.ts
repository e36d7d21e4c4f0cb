import { getEnv } from "@/lib/config/env";
import { providerLogoutUrl } from "@/lib/auth/provider-logout-url";

// GET /api/sso/logout – after sign-out, end the OIDC provider's session too (RP-initiated logout).
export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const signIn = new URL("/sign-in", env.NEXTAUTH_URL ?? request.url).toString();
  return Response.redirect(await providerLogoutUrl(env, signIn), 302);
}
