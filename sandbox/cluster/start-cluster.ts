import "server-only";
import { createServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Policy } from "../auth/policy";
import type { ClusterContext } from "../server/cluster-context";
import { createRequestHandler } from "../server/handle-request";
import { ObjectStore } from "../server/object-store";
import { RequestLog, type SandboxRequestRecord } from "../server/request-log";
import type { ServingCertificates } from "../server/generate-certificates";
import { preferredKind } from "../server/resource-kinds";

export type RunningCluster = {
  name: string;
  url: string;
  context: ClusterContext;
  /** Runs when the cluster stops (controllers register their own shutdown here). */
  onStop: (stop: () => Promise<void> | void) => void;
  /** What the API server saw of each request after `since` (caller, impersonation, decision). */
  requests(since?: number): SandboxRequestRecord[];
  /** "starting": refuse every request of non-system:masters users with 403, as a starting API server. */
  setAuthorizer(state: "ready" | "starting"): void;
  /**
   * Shuts the server down. With `watchGraceMs`, as an API server given SIGTERM: /readyz fails, new
   * connections are refused, idle ones closed, and open watches kept that long (or until their
   * clients leave) before they are ended.
   */
  stop(options?: { watchGraceMs?: number }): Promise<void>;
};

/** The namespaces every cluster has; kube-system carries the sandbox marker the UI looks for. */
function createSystemNamespaces(store: ObjectStore) {
  const namespaces = preferredKind("", "Namespace");
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    const labels: Record<string, string> = { "kubernetes.io/metadata.name": name };
    if (name === "kube-system") labels["sealdeck.io/sandbox"] = "true";
    store.create(namespaces, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels },
      status: { phase: "Active" },
    });
  }
}

/** One emulated API server on its own HTTPS port, with an empty store apart from the system namespaces. */
export async function startCluster(options: {
  name: string;
  host: string;
  port: number;
  policy: Policy;
  certificates: ServingCertificates;
  bookmarkIntervalMs?: number;
}): Promise<RunningCluster> {
  const store = new ObjectStore();
  createSystemNamespaces(store);
  let address = "";
  const context: ClusterContext = {
    name: options.name,
    store,
    policy: options.policy,
    proxyBackends: new Map(),
    openWatches: new Set(),
    // The real watch cache's bookmark period.
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    serverAddress: () => address,
    requestLog: new RequestLog(),
    authorizer: "ready",
    terminating: false,
  };
  const server = createServer(
    { cert: options.certificates.certPem, key: options.certificates.keyPem },
    createRequestHandler(context),
  );
  // Every raw socket, TLS handshake included: closeAllConnections() only knows HTTP connections, and a
  // client connecting just as the cluster stops would hold close() open until its handshake timed out.
  const sockets = new Set<Socket>();
  let stopping = false;
  server.on("connection", (socket: Socket) => {
    if (stopping) return void socket.destroy();
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  address = `${options.host}:${port}`;
  const stoppers: (() => Promise<void> | void)[] = [];
  return {
    name: options.name,
    url: `https://${address}`,
    context,
    onStop: (stop) => stoppers.push(stop),
    requests: (since) => context.requestLog.list(since),
    setAuthorizer(state) {
      context.authorizer = state;
    },
    async stop(stopOptions = {}) {
      const graceMs = stopOptions.watchGraceMs ?? 0;
      if (graceMs > 0 && !context.terminating) {
        context.terminating = true;
        stopping = true;
        server.close();
        server.closeIdleConnections();
        const deadline = Date.now() + graceMs;
        while (context.openWatches.size > 0 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, Math.min(100, deadline - Date.now())));
      }
      context.terminating = true;
      for (const stop of stoppers.reverse()) await stop();
      for (const response of context.openWatches) response.end();
      stopping = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
