import { NextResponse, type NextRequest } from "next/server";

// Security headers on every response, and a Content-Security-Policy with a fresh nonce per request.
// Next.js reads the nonce from the request's CSP header and puts it on its own scripts; the root
// layout passes it to next-themes' inline script. Pages are dynamic (the layout reads the request),
// so every HTML response gets its own nonce.

function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonce'd Next.js runtime load its chunks. React's development build
    // needs eval to rebuild server stacks, so 'unsafe-eval' exists in development only.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Production styles are stylesheet links plus nonce'd tags. The development server injects
    // <style> tags for hot reload without a nonce, so development allows inline styles.
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function isHttps(request: NextRequest): boolean {
  return (
    request.nextUrl.protocol === "https:" ||
    request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ||
    (process.env.NEXTAUTH_URL?.startsWith("https://") ?? false)
  );
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });

  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set(
    "Permissions-Policy",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), interest-cohort=()",
  );
  // Only over https: a Strict-Transport-Security header on plain http would be ignored at best.
  if (isHttps(request))
    response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

export const config = {
  // Everything, static chunks included, so every response carries the headers.
  matcher: "/:path*",
};
