import "server-only";
import type { ServerResponse } from "node:http";
import type { Policy } from "../auth/policy";
import type { ObjectStore } from "./object-store";
import type { RequestLog } from "./request-log";

export type ProxyRequest = { method: string; path: string; headers: Record<string, string>; body: Buffer };
export type ProxyResponse = { status: number; headers?: Record<string, string>; body: string | Buffer };
/** An in-process stand-in for a pod behind a Service, reached through services/proxy. */
export type ProxyBackend = (request: ProxyRequest) => Promise<ProxyResponse>;

/** Everything one emulated cluster's request handlers share. */
export type ClusterContext = {
  name: string;
  store: ObjectStore;
  policy: Policy;
  /** `namespace/service` → backend. */
  proxyBackends: Map<string, ProxyBackend>;
  /** Open watch responses, ended when the sandbox stops. */
  openWatches: Set<ServerResponse>;
  bookmarkIntervalMs: number;
  serverAddress: () => string;
  /** Every request's caller, impersonation and decision, for tests (sandbox/README.md). */
  requestLog: RequestLog;
};
