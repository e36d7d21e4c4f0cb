import "server-only";
import { getEnv } from "@/lib/config/env";

// next-auth's session cookie. Behind https it is `__Secure-`-prefixed and Secure; it is always HttpOnly
// and SameSite=Lax (set in auth-options.ts), so other sites can neither read it nor send it on a POST.

export function isHttps(): boolean {
  return getEnv().NEXTAUTH_URL?.startsWith("https://") ?? false;
}

export function sessionCookieName(): string {
  return `${isHttps() ? "__Secure-" : ""}next-auth.session-token`;
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}
