import { Socket } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { version } from "@/package.json";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually } from "@/sandbox/testing/kube-request";
import { kubeRequest, observeKubeRequests } from "./kube-request";
import { KubeWatch } from "./kube-watch";
import { loadClusterRegistry } from "./load-cluster-registry";
import { requestController } from "./request-controller";

vi.mock("server-only", () => ({}));

// The app's Kubernetes traffic as a real API server sees it: a User-Agent on every request, watches
// that ask for bookmarks and a server-side timeout like client-go's, stay open while quiet, and
// rely on TCP keepalive (not silence) to find a dead connection.
let sandbox: Sandbox;
let kc: KubeConfig;

beforeAll(async () => {
  sandbox = await startSandbox({ noDemo: true, quiet: true });
  kc = loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath })[0]!.load();
});
afterAll(() => sandbox?.stop());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function openWatch(path: string, options: { timeoutSeconds?: number } = {}) {
  const events: string[] = [];
  let ended: unknown = "open";
  const watch = new KubeWatch(kc, { cluster: "sandbox", ...options });
  const started = watch.watch(
    path,
    {},
    (phase) => events.push(phase),
    (error) => (ended = error),
  );
  return { events, started, ended: () => ended };
}

describe("User-Agent", () => {
  it("sends sealdeck/<version> on lists, watches and controller proxy requests", async () => {
    const since = sandbox.clusters[0]!.requests().at(-1)?.seq ?? 0;
    (await kubeRequest(kc, "/api/v1/namespaces", { cluster: "sandbox" })).discard();
    const watch = openWatch("/api/v1/namespaces/default/configmaps");
    await watch.started;
    await requestController(
      { kc, as: null },
      { namespace: "kube-system", service: "sealed-secrets-controller", port: "http" },
      "/v1/cert.pem",
      { cluster: "sandbox" },
    );
    const seen = await eventually(() => {
      const records = sandbox.clusters[0]!.requests(since);
      return records.some((r) => r.path.endsWith("/proxy/v1/cert.pem")) &&
        records.some((r) => r.path.endsWith("/configmaps"))
        ? records
        : undefined;
    });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const record of seen) expect(record.userAgent).toBe(`sealdeck/${version}`);
    (await watch.started).abort();
  });
});

describe("watches", () => {
  it("ask for bookmarks and a randomised server-side timeout of 5 to 10 minutes", async () => {
    const paths: string[] = [];
    const stop = observeKubeRequests((r) => paths.push(r.path));
    try {
      const watches = [1, 2, 3].map(() => openWatch("/api/v1/namespaces/default/configmaps"));
      for (const w of watches) (await w.started).abort();
    } finally {
      stop();
    }
    const timeouts = paths.map((p) => {
      const query = new URL(p, "https://x").searchParams;
      expect(query.get("watch")).toBe("true");
      expect(query.get("allowWatchBookmarks")).toBe("true");
      return Number(query.get("timeoutSeconds"));
    });
    expect(timeouts).toHaveLength(3);
    for (const t of timeouts) expect(t >= 300 && t < 600).toBe(true);
  });

  it("turn on TCP keepalive on their connection", async () => {
    const keepAlive = vi.spyOn(Socket.prototype, "setKeepAlive");
    const watch = openWatch("/api/v1/namespaces/default/configmaps");
    (await watch.started).abort();
    expect(keepAlive).toHaveBeenCalledWith(true, expect.any(Number));
    const delay = keepAlive.mock.calls.find((call) => call[0] === true)?.[1] ?? 0;
    expect(delay).toBeGreaterThan(0);
  });

  it("keep a quiet watch open past minutes of silence (no inactivity re-open)", async () => {
    // Only setTimeout is faked, and only from here: the HTTP stack's own timers are not the global ones.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const since = sandbox.clusters[0]!.requests().at(-1)?.seq ?? 0;
    const watch = openWatch("/apis/external-secrets.io/v1/externalsecrets", { timeoutSeconds: 600 });
    await watch.started;
    const watches = () =>
      sandbox.clusters[0]!.requests(since).filter((r) => r.path.endsWith("/externalsecrets"));
    await eventually(() => (watches().length === 1 ? true : undefined));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(watch.ended()).toBe("open");
    expect(watch.events).toEqual([]);
    expect(watches()).toHaveLength(1);
    (await watch.started).abort();
  });
});
