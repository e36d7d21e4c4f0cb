import "server-only";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { logger } from "@/lib/log/logger";
import type { AuthRequestContext } from "./auth-request-context";
import { ssoFailureErrorCode } from "./classify-sso-failure";
import { recordAuthEvent } from "./record-auth-event";

type Failure = NonNullable<AuthRequestContext["failure"]>;

/** `/sign-in?error=OAuthCallback` → `/sign-in?error=Sso-<reason>`, so the page can say what went wrong. */
export function withFailureCode(target: string, failure: Failure): string {
  const url = new URL(target, "http://placeholder.invalid");
  if (!url.searchParams.has("error")) return target;
  url.searchParams.set("error", ssoFailureErrorCode(failure.reason));
  return url.origin === "http://placeholder.invalid" ? `${url.pathname}${url.search}` : url.toString();
}

/**
 * Audits a sign-in the identity provider's side made fail (no user is known yet), and points the browser
 * at the message for its reason. next-auth answers a redirect (callbacks) or JSON `{url}` (signIn()).
 */
export async function recordSsoFailure(response: Response, failure: Failure, ip: string): Promise<Response> {
  try {
    await recordAuthEvent(getPrismaOrThrow(), {
      type: "auth.sign-in-failed",
      actor: null,
      ip,
      details: { reason: failure.reason, provider: failure.provider },
    });
  } catch (error) {
    // The sign-in is refused either way; a lost audit record must at least be visible in the logs.
    logger.error({ err: error, reason: failure.reason }, "could not audit a failed sign-in");
  }
  const headers = new Headers(response.headers);
  const location = headers.get("location");
  if (location) {
    headers.set("location", withFailureCode(location, failure));
    return new Response(response.body, { status: response.status, headers });
  }
  if (headers.get("content-type")?.includes("application/json")) {
    const body = (await response.json()) as { url?: unknown };
    if (typeof body.url === "string") body.url = withFailureCode(body.url, failure);
    headers.delete("content-length");
    return new Response(JSON.stringify(body), { status: response.status, headers });
  }
  return response;
}
