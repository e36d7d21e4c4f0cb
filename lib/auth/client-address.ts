import "server-only";
import { BlockList, isIP } from "node:net";

// Who sent a request. Anyone can write an X-Forwarded-For header, so its entries are believed only as far
// as they were added by proxies the operator listed in SEALDECK_TRUSTED_PROXIES: the client is the
// right-most address in "X-Forwarded-For entries, then the socket's peer" that is not a trusted proxy.
// With no trusted proxies that is always the socket's peer.

export type TrustedProxies = { has(address: string): boolean };

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1; anything not an IP is null. */
export function normalizeAddress(value: string | undefined): string | null {
  let address = value?.trim() ?? "";
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) address = mapped[1];
  return isIP(address) === 0 ? null : address.toLowerCase();
}

/** The operator's list (already validated as IPs and CIDRs by lib/config/env.ts) as a membership test. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return {
    has(value) {
      const address = normalizeAddress(value);
      if (!address) return false;
      return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
    },
  };
}

export type ResolvedClient = {
  /** The client's address: never an entry a client could choose unless a trusted proxy vouched for it. */
  ip: string;
  /** True when the socket's peer is a trusted proxy, i.e. its X-Forwarded-Host/-Proto may be believed. */
  viaTrustedProxy: boolean;
};

export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): ResolvedClient | null {
  const peer = normalizeAddress(socketAddress);
  if (!peer) return null;
  if (!trusted.has(peer)) return { ip: peer, viaTrustedProxy: false };
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  let client = peer;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = normalizeAddress(hops[index]);
    // A trusted proxy relayed something that is not an address: stop at the last hop we can name.
    if (!hop) break;
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return { ip: client, viaTrustedProxy: true };
}
