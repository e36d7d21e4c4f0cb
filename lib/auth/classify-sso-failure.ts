// Why a sign-in through an external provider failed, from the error openid-client raised (next-auth wraps
// it, keeping message and code). The reason is audited and picks the sign-in page's message; the error's
// own text is never shown to the user (it can echo a client id or an audience).

export const ssoFailureReasons = [
  "client-rejected",
  "wrong-audience",
  "issuer-unreachable",
  "provider-timeout",
  "provider-error",
  "invalid-response",
] as const;

export type SsoFailureReason = (typeof ssoFailureReasons)[number];

const unreachableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

export function classifySsoFailure(error: unknown): SsoFailureReason {
  const { message = "", code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const text = typeof message === "string" ? message : "";
  if (typeof code === "string" && unreachableCodes.has(code)) return "issuer-unreachable";
  // GitHub answers a wrong client secret with its own code (HTTP 200 + error, like every token error).
  if (/^(invalid_client|unauthorized_client|incorrect_client_credentials)\b/.test(text))
    return "client-rejected";
  if (/^aud mismatch|^azp mismatch|audience/i.test(text)) return "wrong-audience";
  if (/timed out/i.test(text)) return "provider-timeout";
  // Discovery or an endpoint answering 5xx, or an HTML error page instead of JSON.
  if (/expected 200 OK, got: 5\d\d|^5\d\d /.test(text)) return "issuer-unreachable";
  if (/^[a-z_]+ \(/.test(text)) return "provider-error"; // an OAuth error answer: `error (description)`
  return "invalid-response";
}

/** The sign-in page's `?error=` code for each reason. */
export function ssoFailureErrorCode(reason: SsoFailureReason): string {
  return `Sso-${reason}`;
}
