import { describe, expect, it } from "vitest";
import { normalizeAddress, resolveClientAddress, trustedProxies } from "./client-address";

describe("resolveClientAddress", () => {
  const none = trustedProxies([]);

  it("with no trusted proxies, is the socket's peer whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("203.0.113.9", "1.2.3.4", none)).toEqual({
      ip: "203.0.113.9",
      viaTrustedProxy: false,
    });
    expect(resolveClientAddress("::ffff:127.0.0.1", "10.0.0.1, 10.0.0.2", none)?.ip).toBe("127.0.0.1");
    expect(resolveClientAddress("::1", undefined, none)?.ip).toBe("::1");
  });

  it("behind a trusted proxy, is the right-most entry that is not a trusted proxy", () => {
    const trusted = trustedProxies(["10.0.0.0/8", "192.168.1.7"]);
    // The client forged the first entry; the proxy appended what it saw.
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.4", trusted)).toEqual({
      ip: "198.51.100.4",
      viaTrustedProxy: true,
    });
    // Two trusted hops.
    expect(resolveClientAddress("192.168.1.7", "198.51.100.4, 10.9.9.9", trusted)?.ip).toBe("198.51.100.4");
    // The proxy itself made the request.
    expect(resolveClientAddress("10.1.2.3", undefined, trusted)?.ip).toBe("10.1.2.3");
    // Everything trusted: the left-most hop is as far as we can see.
    expect(resolveClientAddress("10.1.2.3", "10.0.0.5", trusted)?.ip).toBe("10.0.0.5");
    // Repeated headers are one list.
    expect(resolveClientAddress("10.1.2.3", ["6.6.6.6", "198.51.100.4"], trusted)?.ip).toBe("198.51.100.4");
  });

  it("stops at a hop a trusted proxy relayed that is not an address", () => {
    const trusted = trustedProxies(["10.0.0.0/8"]);
    expect(resolveClientAddress("10.1.2.3", "198.51.100.4, not-an-ip", trusted)?.ip).toBe("10.1.2.3");
    expect(resolveClientAddress("10.1.2.3", "unknown, 10.0.0.9", trusted)?.ip).toBe("10.0.0.9");
  });

  it("matches IPv6 ranges and IPv4 peers on dual-stack sockets", () => {
    const trusted = trustedProxies(["fd00::/8", "127.0.0.1"]);
    expect(resolveClientAddress("fd00::1", "2001:db8::5", trusted)?.ip).toBe("2001:db8::5");
    expect(resolveClientAddress("::ffff:127.0.0.1", "198.51.100.4", trusted)?.ip).toBe("198.51.100.4");
    expect(resolveClientAddress("2001:db8::7", "198.51.100.4", trusted)?.ip).toBe("2001:db8::7");
  });

  it("is null without a socket address", () => {
    expect(resolveClientAddress(undefined, "1.2.3.4", none)).toBeNull();
  });
});

describe("normalizeAddress", () => {
  it("unwraps IPv4-mapped and bracketed addresses and refuses non-addresses", () => {
    expect(normalizeAddress("::FFFF:10.0.0.1")).toBe("10.0.0.1");
    expect(normalizeAddress("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normalizeAddress("evil.example")).toBeNull();
    expect(normalizeAddress("1.2.3.4:80")).toBeNull();
    expect(normalizeAddress(undefined)).toBeNull();
  });
});
