import "server-only";
import { getEnv } from "@/lib/config/env";
import { FORWARDED_BY_HEADER } from "./guard-forwarded-headers";

// CSRF guard for every mutation: the request must come from a page of this very dashboard. Browsers
// send Origin on every POST (and on fetches); a missing or foreign Origin is refused. Server actions
// get the same check from Next itself, and again here so the rule does not depend on framework defaults.

/** True when `origin` is the dashboard's own: NEXTAUTH_URL's origin, or the Host the request was sent to. */
export function isSameOrigin(
  origin: string | null,
  host: string | null,
  forwardedHost?: string | null,
): boolean {
  if (!origin || origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  const configured = getEnv().NEXTAUTH_URL;
  if (configured && new URL(configured).origin === parsed.origin) return true;
  const requestHost = forwardedHost?.split(",")[0]?.trim() || host;
  return requestHost !== null && requestHost !== "" && parsed.host === requestHost;
}

export function requestIsSameOrigin(headers: Headers): boolean {
  // X-Forwarded-Host counts only when the guard saw it come from a trusted proxy; anyone can send one.
  const viaTrustedProxy = headers.get(FORWARDED_BY_HEADER) === "trusted";
  return isSameOrigin(
    headers.get("origin"),
    headers.get("host"),
    viaTrustedProxy ? headers.get("x-forwarded-host") : null,
  );
}
