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
  /**
   * "starting": as a real API server whose authorizer caches have not synced yet (or whose webhook
   * authorizer fails closed), every resource request is refused with 403 except for system:masters.
   * Tests flip it (RunningCluster.setAuthorizer).
   */
  authorizer: "ready" | "starting";
  /** Set once the server has been told to terminate: /readyz fails, new connections are refused. */
  terminating: boolean;
};
