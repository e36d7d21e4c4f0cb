import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions } from "@/lib/auth/auth-options";
import { runAuthRequest, type AuthRequestContext } from "@/lib/auth/auth-request-context";
import { recordSsoFailure } from "@/lib/auth/record-sso-failure";
import { CLIENT_IP_HEADER } from "@/lib/auth/guard-forwarded-headers";

type Context = { params: Promise<{ nextauth: string[] }> };

// GET|POST /api/auth/* – next-auth: sign-in, OAuth callbacks, CSRF token, sign-out (public by nature).
// Options are built per request so they read the database and environment only when used. A failed
// sign-in through an identity provider is audited here, with its reason, before the browser is answered.
async function handler(request: NextRequest, context: Context): Promise<Response> {
  const state: AuthRequestContext = {
    ip: request.headers.get(CLIENT_IP_HEADER)?.trim() || "unknown",
    failure: null,
  };
  const response = (await runAuthRequest(state, () =>
    NextAuth(request, context, getAuthOptions()),
  )) as Response;
  if (!state.failure) return response;
  return recordSsoFailure(response, state.failure, state.ip);
}

export { handler as GET, handler as POST };
