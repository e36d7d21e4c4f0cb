import "server-only";

import { writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";

import { parse, stringify } from "yaml";

// Every request the app sends to a (sandbox) cluster, and every answer, seen on the wire: a plain-HTTP
// forwarder the app's kubeconfig points at, which passes each request on to the real API server over
// TLS and keeps a copy of both directions (watches included, chunk by chunk).

export type CapturedExchange = {
  method: string;
  path: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: string;
  status: number | null;
  responseBody: string;
};

export type KubeTrafficCapture = {
  exchanges: CapturedExchange[];
  /** A kubeconfig file whose clusters all point at the forwarder (same users and contexts). */
  kubeconfigPath: string;
  close(): Promise<void>;
};

type KubeconfigDoc = {
  clusters: {
    name: string;
    cluster: { server: string; "certificate-authority-data"?: string; "insecure-skip-tls-verify"?: boolean };
  }[];
};

/** Starts the forwarder for the first cluster of `kubeconfig` and writes the redirected kubeconfig to `path`. */
export async function captureKubeTraffic(kubeconfig: string, path: string): Promise<KubeTrafficCapture> {
  const doc = parse(kubeconfig) as KubeconfigDoc;
  const cluster = doc.clusters[0]!.cluster;
  const upstream = new URL(cluster.server);
  const ca = Buffer.from(cluster["certificate-authority-data"] ?? "", "base64");
  const exchanges: CapturedExchange[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const exchange: CapturedExchange = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        requestHeaders: req.headers,
        requestBody: body.toString("utf8"),
        status: null,
        responseBody: "",
      };
      exchanges.push(exchange);
      const headers = { ...req.headers, host: upstream.host };
      const forward = httpsRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers,
          ca,
        },
        (answer) => {
          exchange.status = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.on("data", (chunk: Buffer) => {
            exchange.responseBody += chunk.toString("utf8");
            res.write(chunk);
          });
          answer.on("end", () => res.end());
          answer.on("error", () => res.destroy());
        },
      );
      forward.on("error", () => res.destroy());
      res.on("close", () => forward.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  for (const entry of doc.clusters) {
    entry.cluster.server = `http://127.0.0.1:${port}`;
    delete entry.cluster["certificate-authority-data"];
    // client-node refuses plain HTTP unless TLS checks are off; the forwarder verifies the real server.
    entry.cluster["insecure-skip-tls-verify"] = true;
  }
  await writeFile(path, stringify(doc));
  return {
    exchanges,
    kubeconfigPath: path,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
