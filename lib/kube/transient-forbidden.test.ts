import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { parse, stringify } from "yaml";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually, kubeClient } from "@/sandbox/testing/kube-request";
import { ClusterCache } from "./cluster-cache";
import { loadClusterRegistry } from "./load-cluster-registry";

vi.mock("server-only", () => ({}));

// A starting API server answers 403 until its authorizer's caches sync (a webhook authorizer that
// fails closed does the same): for a kind Sealdeck could list before, that is an outage (stale data,
// quick retries), not "Sealdeck may not list …". Only a 403 that persists, or one its own access
// review confirms for a kind never listed, is reported as forbidden.
let sandbox: Sandbox;
let dir: string;
let caches: ClusterCache[] = [];

/** The sandbox kubeconfig with its context acting as `user` (the contexts use sandbox-admin). */
async function kubeconfigAs(user: string): Promise<string> {
  const doc = parse(sandbox.kubeconfig) as { contexts: { context: { user: string } }[] };
  for (const context of doc.contexts) context.context.user = user;
  const path = join(dir, `kubeconfig-${user}`);
  await writeFile(path, stringify(doc), { mode: 0o600 });
  return path;
}

async function startCache(user: string, transientForbiddenMs: number): Promise<ClusterCache> {
  const [entry] = loadClusterRegistry({ KUBECONFIG: await kubeconfigAs(user) });
  const cache = new ClusterCache(entry!, () => {}, { transientForbiddenMs });
  caches.push(cache);
  cache.start();
  return cache;
}

const cluster = () => sandbox.clusters[0]!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sealdeck-forbidden-"));
  sandbox = await startSandbox({ noDemo: true, quiet: true });
});
afterEach(() => {
  cluster().setAuthorizer("ready");
  for (const cache of caches) cache.stop();
  caches = [];
});
afterAll(async () => {
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

it("keeps a kind it listed before stale (not forbidden) through a starting authorizer's 403s", async () => {
  const cache = await startCache("sealdeck-dashboard", 10 * 60_000);
  await eventually(() => (cache.status().state === "synced" ? true : undefined), 600);
  const since = cluster().requests().at(-1)?.seq ?? 0;

  cluster().setAuthorizer("starting");
  // As after an API server restart: every watch drops, and the relists meet the starting authorizer.
  cluster().expireWatches();
  await eventually(
    () =>
      cluster()
        .requests(since)
        .some((r) => r.user === "sealdeck-dashboard" && r.status === 403) || undefined,
    600,
  );
  const stale = await eventually(() => (cache.status().state === "stale" ? cache.status() : undefined), 600);
  expect(stale.message).toMatch(/forbidden/i);
  expect(cache.forbiddenKinds()).toEqual([]);

  // Written meanwhile by a privileged client; it must show up as soon as the authorizer is ready.
  await kubeClient(sandbox.kubeconfig).send("POST", "/api/v1/namespaces/default/secrets", {
    body: { apiVersion: "v1", kind: "Secret", metadata: { name: "written-while-starting" } },
  });
  cluster().setAuthorizer("ready");
  await eventually(() => (cache.status().state === "synced" ? true : undefined), 600);
  await eventually(
    () =>
      cache.snapshot().secrets?.some((s) => s.metadata.name === "written-while-starting") ? true : undefined,
    600,
  );
  expect(cache.forbiddenKinds()).toEqual([]);
});

it("reports forbidden once the 403s outlast the window, and recovers when they stop", async () => {
  const cache = await startCache("sealdeck-dashboard", 300);
  await eventually(() => (cache.status().state === "synced" ? true : undefined), 600);
  cluster().setAuthorizer("starting");
  cluster().expireWatches();
  await eventually(() => (cache.forbiddenKinds().includes("SealedSecret") ? true : undefined), 600);
  cluster().setAuthorizer("ready");
  await eventually(() => (cache.forbiddenKinds().length === 0 ? true : undefined), 600);
  await eventually(() => (cache.status().state === "synced" ? true : undefined), 600);
});

it("reports forbidden at once for a kind never listed when its own access review says no", async () => {
  // The demo policy's developer may read in a few namespaces only, never cluster-wide.
  const cache = await startCache("developer", 10 * 60_000);
  // Each kind's first 403 is stale only until its review answers.
  await eventually(
    () =>
      cache.forbiddenKinds().includes("SealedSecret") && cache.status().state === "synced" ? true : undefined,
    600,
  );
  expect(
    cluster()
      .requests()
      .some(
        (r) => r.user === "developer" && r.path === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      ),
  ).toBe(true);
});
