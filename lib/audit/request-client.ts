import "server-only";
import { CLIENT_IP_HEADER } from "@/lib/auth/guard-forwarded-headers";

// Who is on the other end of a request, for an audit event's actor: the address the forwarded-headers
// guard resolved from the socket and the trusted proxies (never a client-sent X-Forwarded-For), and
// the user agent.

export type RequestClient = { ip: string | null; userAgent: string | null };

export function requestClient(headers: Headers): RequestClient {
  const ip = headers.get(CLIENT_IP_HEADER)?.trim() || null;
  return { ip: ip ? ip.slice(0, 100) : null, userAgent: headers.get("user-agent")?.slice(0, 500) || null };
}
