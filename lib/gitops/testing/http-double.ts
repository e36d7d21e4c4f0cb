import "server-only";

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A tiny HTTP server on 127.0.0.1:0 for forge API doubles: routes by method and path pattern, records
// every request (method, path, query, JSON body, auth header) and can be told to fail the next matching
// request with a given status, so contract tests check the shapes the real APIs expect.

export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | undefined>;
};

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
export type Handler = (request: RecordedRequest, params: string[]) => Reply;
type Route = { method: string; pattern: RegExp; handler: Handler };
type Fault = { method: string; pattern: RegExp; reply: Reply; times: number };

export type HttpDouble = {
  url: string;
  requests: RecordedRequest[];
  route(method: string, pattern: RegExp, handler: Handler): void;
  /** Fails the next `times` requests matching method and path with `reply`. */
  failNext(method: string, pattern: RegExp, reply: Reply, times?: number): void;
  close(): Promise<void>;
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export async function startHttpDouble(
  authorize: (headers: RecordedRequest["headers"]) => Reply | null,
  options: { matchEncoded?: boolean } = {},
): Promise<HttpDouble> {
  const routes: Route[] = [];
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];

  const respond = (response: ServerResponse, reply: Reply) => {
    const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
      ...reply.headers,
    });
    response.end(text);
  };

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(request);
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]),
      );
      let body: unknown = raw;
      if (raw && (headers["content-type"] ?? "").includes("json")) body = JSON.parse(raw) as unknown;
      const recorded: RecordedRequest = {
        method: request.method ?? "GET",
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        body,
        headers,
      };
      requests.push(recorded);
      const denied = authorize(headers);
      if (denied) return respond(response, denied);
      const fault = faults.find((f) => f.method === recorded.method && f.pattern.test(recorded.path));
      if (fault) {
        if (--fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
        return respond(response, fault.reply);
      }
      for (const route of routes) {
        // GitLab's API needs the still-encoded path: an encoded `/` in a file path is part of one segment.
        const target = options.matchEncoded ? url.pathname : recorded.path;
        const match = route.method === recorded.method ? route.pattern.exec(target) : null;
        if (match)
          return respond(
            response,
            route.handler(
              recorded,
              options.matchEncoded ? match.slice(1).map(decodeURIComponent) : match.slice(1),
            ),
          );
      }
      respond(response, { status: 404, body: { message: `Not Found: ${recorded.method} ${recorded.path}` } });
    })().catch((error: unknown) => respond(response, { status: 500, body: { message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (method, pattern, handler) => routes.push({ method, pattern, handler }),
    failNext: (method, pattern, reply, times = 1) => faults.push({ method, pattern, reply, times }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A token that is obviously fake and different in every run. */
export function fakeToken(prefix: string): string {
  return `${prefix}FAKE${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}
