import "server-only";

// Who is on the other end of a request, for an audit event's actor: the first x-forwarded-for hop (the
// client as the nearest proxy saw it; Next's own server sets it) and the user agent.

export type RequestClient = { ip: string | null; userAgent: string | null };

export function requestClient(headers: Headers): RequestClient {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip")?.trim() || null;
  return { ip: ip ? ip.slice(0, 100) : null, userAgent: headers.get("user-agent")?.slice(0, 500) || null };
}
