import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustedProxies } from "./client-address";
import {
  CLIENT_IP_HEADER,
  FORWARDED_BY_HEADER,
  guardForwardedHeaders,
  installForwardedHeadersGuard,
} from "./guard-forwarded-headers";

describe("guardForwardedHeaders", () => {
  const forged = {
    "x-forwarded-for": "6.6.6.6",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
    "x-real-ip": "7.7.7.7",
    forwarded: "for=8.8.8.8;host=evil.example",
    [CLIENT_IP_HEADER]: "9.9.9.9",
    [FORWARDED_BY_HEADER]: "trusted",
  };

  it("drops every forwarded header of a peer that is not a trusted proxy", () => {
    const request = {
      headers: { ...forged, host: "dash.example" },
      socket: { remoteAddress: "203.0.113.9" },
    };
    guardForwardedHeaders(request, trustedProxies([]));
    expect(request.headers).toEqual({
      host: "dash.example",
      "x-forwarded-for": "203.0.113.9",
      [CLIENT_IP_HEADER]: "203.0.113.9",
      [FORWARDED_BY_HEADER]: "direct",
    });
  });

  it("keeps a trusted proxy's headers, appends the proxy's own address and names the client", () => {
    const request = {
      headers: { ...forged, "x-forwarded-for": "6.6.6.6, 198.51.100.4" } as IncomingHttpHeaders,
      socket: { remoteAddress: "::ffff:10.0.0.2" },
    };
    guardForwardedHeaders(request, trustedProxies(["10.0.0.0/24"]));
    expect(request.headers["x-forwarded-for"]).toBe("6.6.6.6, 198.51.100.4, 10.0.0.2");
    expect(request.headers[CLIENT_IP_HEADER]).toBe("198.51.100.4");
    expect(request.headers[FORWARDED_BY_HEADER]).toBe("trusted");
    expect(request.headers["x-forwarded-host"]).toBe("evil.example");
  });
});

describe("installForwardedHeadersGuard", () => {
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    installForwardedHeadersGuard([]);
    // Installing twice (the hook bundled twice) must not subscribe twice.
    installForwardedHeadersGuard(["0.0.0.0/0"]);
    server = createServer((req, res) => res.end(JSON.stringify(req.headers)));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  function send(headers: Record<string, string>) {
    return new Promise<IncomingHttpHeaders>((resolveHeaders, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, headers }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolveHeaders(JSON.parse(body) as IncomingHttpHeaders));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("rewrites every request a server in this process receives, before its handler sees it", async () => {
    for (const address of ["1.1.1.1", "2.2.2.2", "3.3.3.3"]) {
      const seen = await send({
        "x-forwarded-for": address,
        "x-forwarded-host": "evil.example",
        [CLIENT_IP_HEADER]: address,
      });
      expect(seen[CLIENT_IP_HEADER]).toBe("127.0.0.1");
      expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
      expect(seen["x-forwarded-host"]).toBeUndefined();
      expect(seen[FORWARDED_BY_HEADER]).toBe("direct");
    }
  });
});
