import "server-only";
import { type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { AppError, type AppErrorCode } from "@/lib/errors/app-error";
import type { KubeIdentity } from "./kube-identity";
import { KUBE_USER_AGENT } from "./user-agent";

// A half-open connection (the API server's host gone without a FIN) is found by TCP keepalive
// probes, not by a quiet stream: a quiet watch is normal on a real server, which sends no bookmarks
// for a kind without events.
const KEEPALIVE_DELAY_MS = 30_000;

export type KubeRequestInit = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  accept?: string;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
  /** Attached to errors so a 401/403 tells the user where it was refused. */
  cluster: string;
  /**
   * Impersonate this user (SEALDECK_KUBE_ACCESS=impersonate): the API server authorizes as them.
   * Absent or null: Sealdeck's own credentials. Carried with the request itself, never looked up.
   */
  as?: KubeIdentity | null;
  namespace?: string;
};

export type KubeResponse = {
  status: number;
  ok: boolean;
  statusText: string;
  headers: IncomingHttpHeaders;
  /** The body as a stream (watches); the helpers below read it whole. */
  stream: IncomingMessage;
  text(): Promise<string>;
  json<T>(): Promise<T>;
  /** Drops an unread body so the socket is released. */
  discard(): void;
};

/** Test hook: sees every request's method, path and headers (never bodies). */
export type KubeRequestObserver = (request: {
  cluster: string;
  method: string;
  path: string;
  headers: Record<string, string>;
}) => void;
const observers = new Set<KubeRequestObserver>();
export function observeKubeRequests(observer: KubeRequestObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/**
 * Every request Sealdeck sends to an API server goes through here (lists, watches, discovery, proxy,
 * patches): one place applies the context's credentials (client-node's applyToHTTPSOptions: CA,
 * client certificates, tokens, exec plugins), and one place a test can watch all traffic.
 */
export async function kubeRequest(
  kc: KubeConfig,
  path: string,
  init: KubeRequestInit,
): Promise<KubeResponse> {
  const server = kc.getCurrentCluster()?.server;
  if (!server)
    throw new AppError("unavailable", `Cluster ${init.cluster} has no server address in its kubeconfig`);
  const url = new URL(server.replace(/\/$/, "") + path);
  const method = init.method ?? "GET";
  const options: RequestOptions = { method, headers: {} };
  await kc.applyToHTTPSOptions(options);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.headers ?? {}))
    if (typeof value === "string") headers[key] = value;
  headers.Accept = init.accept ?? "application/json";
  headers["User-Agent"] = KUBE_USER_AGENT;
  if (init.contentType) headers["Content-Type"] = init.contentType;
  // Impersonation (SEALDECK_KUBE_ACCESS=impersonate): the API server authorizes as the signed-in user.
  const identity = init.as ?? null;
  if (identity) headers["Impersonate-User"] = identity.user;
  for (const observer of observers)
    observer({
      cluster: init.cluster,
      method,
      path,
      headers: identity ? { ...headers, "Impersonate-Group": identity.groups.join(", ") } : { ...headers },
    });
  // Several groups are several header lines, which Node sends for an array value.
  const sent: Record<string, string | string[]> = identity?.groups.length
    ? { ...headers, "Impersonate-Group": [...identity.groups] }
    : headers;
  const send = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise<KubeResponse>((resolve, reject) => {
    const req = send(url, { ...options, headers: sent, signal: init.signal }, (res) => {
      // A reset connection errors the response; whoever reads it (read() or a watch) sees that too,
      // and an unread one must not take the process down.
      res.on("error", () => {});
      const read = () =>
        new Promise<string>((done, fail) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
          res.on("error", fail);
        });
      const status = res.statusCode ?? 0;
      resolve({
        status,
        ok: status >= 200 && status < 300,
        statusText: res.statusMessage ?? "",
        headers: res.headers,
        stream: res,
        text: read,
        json: async <T>() => JSON.parse(await read()) as T,
        discard: () => res.resume(),
      });
    });
    req.on("socket", (socket) => socket.setKeepAlive(true, KEEPALIVE_DELAY_MS));
    req.on("error", reject);
    req.end(init.body);
  });
}

const codeByStatus: Record<number, AppErrorCode> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  410: "gone",
  422: "unprocessable",
  429: "rate_limited",
};

/** Turns a failed API response into the app's error, keeping Kubernetes' own message and where it happened. */
export async function kubeErrorFrom(
  response: Pick<KubeResponse, "status" | "statusText" | "json">,
  init: Pick<KubeRequestInit, "cluster" | "namespace">,
): Promise<AppError> {
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const status = await response.json<{ message?: unknown }>();
    if (typeof status.message === "string" && status.message) message = status.message;
  } catch {
    // Not a Kubernetes Status body; the HTTP status text will do.
  }
  const code = codeByStatus[response.status] ?? (response.status >= 500 ? "bad_gateway" : "internal");
  return new AppError(code, message, {
    cluster: init.cluster,
    namespace: init.namespace,
    kubernetesStatus: response.status,
  });
}

/** GETs JSON or throws AppError (401/403 passed through with cluster and namespace). */
export async function kubeGetJson<T>(kc: KubeConfig, path: string, init: KubeRequestInit): Promise<T> {
  const response = await kubeRequest(kc, path, init);
  if (!response.ok) throw await kubeErrorFrom(response, init);
  return response.json<T>();
}
