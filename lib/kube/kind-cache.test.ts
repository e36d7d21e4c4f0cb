import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually } from "@/sandbox/testing/kube-request";
import { KindCache, LIST_PAGE_SIZE } from "./kind-cache";
import { observeKubeRequests } from "./kube-request";
import { loadClusterRegistry } from "./load-cluster-registry";
import { watchedKinds } from "./resource-kinds";

// The first list of a large kind, page by page as kubectl does, against a generated estate of
// 1,200 SealedSecrets (three pages of 500).
const OBJECTS = 1_200;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, noDemo: true, objects: OBJECTS });
});

afterAll(async () => {
  await sandbox?.stop();
});

const sealedSecrets = watchedKinds.find((k) => k.key === "sealedSecrets")!;

function startCache() {
  const [entry] = loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath });
  const states: string[] = [];
  const cache: KindCache = new KindCache(sealedSecrets, "v1alpha1", {
    cluster: entry!.name,
    loadConfig: () => entry!.load(),
    onChange: () => states.push(cache.status.state),
  });
  cache.start();
  return { cache, states };
}

const listPaths = (paths: string[]) =>
  paths.filter((p) => p.startsWith("/apis/bitnami.com/v1alpha1/sealedsecrets?") && !p.includes("watch="));

describe("KindCache first list", () => {
  it("lists in pages of 500 with continue tokens", async () => {
    const paths: string[] = [];
    const stop = observeKubeRequests((r) => paths.push(r.path));
    const { cache } = startCache();
    try {
      await eventually(() => (cache.status.state === "synced" ? true : undefined), 400);
      expect(cache.list()).toHaveLength(OBJECTS);
      const lists = listPaths(paths);
      expect(lists).toHaveLength(Math.ceil(OBJECTS / LIST_PAGE_SIZE));
      expect(lists.every((p) => p.includes(`limit=${LIST_PAGE_SIZE}`))).toBe(true);
      expect(lists.slice(1).every((p) => p.includes("continue="))).toBe(true);
    } finally {
      stop();
      cache.stop();
    }
  });

  it("starts the list again when its continue token expires mid-list (410), without an error state", async () => {
    const paths: string[] = [];
    let expired = false;
    // The server compacts its history just as the second page is asked for: that page gets 410 Expired.
    const stop = observeKubeRequests((r) => {
      paths.push(r.path);
      if (!expired && r.path.includes("sealedsecrets?") && r.path.includes("continue=")) {
        expired = true;
        sandbox.clusters[0]!.context.store.expireHistory();
      }
    });
    const { cache, states } = startCache();
    try {
      await eventually(() => (cache.status.state === "synced" ? true : undefined), 400);
      expect(expired).toBe(true);
      expect(cache.list()).toHaveLength(OBJECTS);
      const names = cache.list().map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
      expect(new Set(names).size).toBe(OBJECTS);
      // Page 1, page 2 (410), then the whole list again from page 1.
      const lists = listPaths(paths);
      expect(lists.filter((p) => !p.includes("continue="))).toHaveLength(2);
      expect(lists).toHaveLength(1 + 1 + Math.ceil(OBJECTS / LIST_PAGE_SIZE));
      expect(states).not.toContain("error");
      expect(cache.status.lastError).toBeNull();
    } finally {
      stop();
      cache.stop();
    }
  });

  it("reads one namespace's objects without the others", async () => {
    const { cache } = startCache();
    try {
      await eventually(() => (cache.status.state === "synced" ? true : undefined), 400);
      const namespace = cache.list()[0]!.metadata.namespace!;
      const own = cache.list(namespace);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((o) => o.metadata.namespace === namespace)).toBe(true);
      expect(own).toHaveLength(cache.list().filter((o) => o.metadata.namespace === namespace).length);
      expect(cache.list("no-such-namespace")).toEqual([]);
    } finally {
      cache.stop();
    }
  });
});
