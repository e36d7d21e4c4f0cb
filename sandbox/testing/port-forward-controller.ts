import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxCluster } from "@/sandbox/start-sandbox";

// What `kubectl port-forward -n kube-system svc/sealed-secrets-controller 8080` gives a user: the
// sandbox controller's HTTP endpoints on a local port, without the API server in between. Tests use it
// for Settings' "controller URL" mode. `redirectTo` makes it answer every request with a redirect.

export type ForwardedController = { url: string; requests: string[]; close(): Promise<void> };

export async function portForwardController(
  cluster: SandboxCluster,
  options: { redirectTo?: string } = {},
): Promise<ForwardedController> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push(`${request.method} ${request.url}`);
      if (options.redirectTo) {
        response.writeHead(302, { Location: options.redirectTo }).end();
        return;
      }
      const backend = cluster.context.proxyBackends.get("kube-system/sealed-secrets-controller");
      if (!backend) {
        response.writeHead(503).end("controller stopped");
        return;
      }
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.headers))
        if (typeof value === "string") headers[key] = value;
      backend({
        method: request.method ?? "GET",
        path: request.url ?? "/",
        headers,
        body: Buffer.concat(chunks),
      })
        .then((result) => {
          response.writeHead(result.status, {
            "Content-Type": "text/plain; charset=utf-8",
            ...result.headers,
          });
          response.end(result.body);
        })
        .catch((error: unknown) => response.writeHead(500).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
