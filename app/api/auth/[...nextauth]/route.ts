import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions } from "@/lib/auth/auth-options";

type Context = { params: Promise<{ nextauth: string[] }> };

// GET|POST /api/auth/* – next-auth: sign-in, OAuth callbacks, CSRF token, sign-out (public by nature).
// Options are built per request so they read the database and environment only when used.
async function handler(request: NextRequest, context: Context): Promise<Response> {
  const response: unknown = await NextAuth(request, context, getAuthOptions());
  return response as Response;
}

export { handler as GET, handler as POST };
