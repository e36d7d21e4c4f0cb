import "server-only";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import {
  normalizeAddress,
  resolveClientAddress,
  trustedProxies,
  type TrustedProxies,
} from "./client-address";

// Next.js keeps a client-sent X-Forwarded-For/-Host/-Proto as it is and only fills them in when absent, and
// route handlers never see the socket. So each request is fixed up as it arrives, before Next reads it:
// Node publishes every incoming request on this channel, with its socket, before emitting it to the server.
// Forwarded headers from a peer that is not a trusted proxy are dropped (Next then sets them from the
// socket), and the client address is written to our own header, which a client cannot set.

/** The client's address as resolved from the socket and trusted proxies (set only by this guard). */
export const CLIENT_IP_HEADER = "x-sealdeck-client-ip";
/** "trusted" when the socket's peer is a trusted proxy (its X-Forwarded-Host may be believed), else "direct". */
export const FORWARDED_BY_HEADER = "x-sealdeck-forwarded-by";

const dropWhenUntrusted = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
];

type GuardedRequest = Pick<IncomingMessage, "headers"> & { socket?: { remoteAddress?: string } | null };

export function guardForwardedHeaders(request: GuardedRequest, trusted: TrustedProxies): void {
  const { headers } = request;
  delete headers[CLIENT_IP_HEADER];
  delete headers[FORWARDED_BY_HEADER];
  const peer = request.socket?.remoteAddress;
  const resolved = resolveClientAddress(peer, headers["x-forwarded-for"], trusted);
  if (resolved?.viaTrustedProxy) {
    // Like any proxy: the hop that reached us is appended to the chain it relayed.
    const relayed = headers["x-forwarded-for"];
    const chain = Array.isArray(relayed) ? relayed.join(", ") : relayed;
    const hop = normalizeAddress(peer) ?? "";
    headers["x-forwarded-for"] = chain ? `${chain}, ${hop}` : hop;
    headers[FORWARDED_BY_HEADER] = "trusted";
  } else {
    for (const name of dropWhenUntrusted) delete headers[name];
    if (resolved) headers["x-forwarded-for"] = resolved.ip;
    else delete headers["x-forwarded-for"];
    headers[FORWARDED_BY_HEADER] = "direct";
  }
  if (resolved) headers[CLIENT_IP_HEADER] = resolved.ip;
}

const installed = Symbol.for("sealdeck.forwarded-headers-guard");

/**
 * Subscribes the guard for every HTTP server in this process (once: the instrumentation hook may be
 * bundled more than once, and the subscription is process-wide, hence the deliberate globalThis flag).
 */
export function installForwardedHeadersGuard(trustedEntries: readonly string[]): void {
  const state = globalThis as { [installed]?: boolean };
  if (state[installed]) return;
  state[installed] = true;
  const trusted = trustedProxies(trustedEntries);
  subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: IncomingMessage };
    guardForwardedHeaders(request, trusted);
  });
}
