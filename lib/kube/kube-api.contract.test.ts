import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/log/logger";
import { eventually } from "@/sandbox/testing/kube-request";
import { openTestCluster, type TestCluster } from "@/sandbox/testing/open-test-cluster";
import { runKubectl } from "@/sandbox/testing/run-kubectl";
import { checkKubeAccess } from "./check-kube-access";
import { KindCache } from "./kind-cache";
import { kubeRequest } from "./kube-request";
import { KubeWatch } from "./kube-watch";
import { loadClusterRegistry } from "./load-cluster-registry";
import { METADATA_LIST_ACCEPT, watchedKinds } from "./resource-kinds";
import { secretMetadataOnly } from "./strip-object";

vi.mock("server-only", () => ({}));

// Contract tests: what Sealdeck relies on from a Kubernetes API server, asserted against the sandbox
// by default and against any cluster with SEALDECK_TEST_KUBECONFIG (`npm run test:contract`).
let cluster: TestCluster;
let kc: KubeConfig;
let name: string;
const caches: KindCache[] = [];

// A made-up value standing in for Secret data (on a real cluster: a sealing-key backup's private key).
const FAKE_VALUE = "fake-contract-value-9f8e7d6c5b4a";
const secretManifest = (secret: string, namespace: string) => `apiVersion: v1
kind: Secret
metadata:
  name: ${secret}
  namespace: ${namespace}
  labels: { sealdeck.io/contract: "true" }
stringData:
  tls.key: ${FAKE_VALUE}
`;

beforeAll(async () => {
  cluster = await openTestCluster();
  const entry = loadClusterRegistry({ KUBECONFIG: cluster.kubeconfigPath }).find(
    (e) => e.name === cluster.context,
  );
  if (!entry) throw new Error(`context ${cluster.context} not in ${cluster.kubeconfigPath}`);
  name = entry.name;
  kc = entry.load();
}, 120_000);
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  for (const cache of caches) cache.stop();
  await cluster?.stop();
});

describe("Secrets as metadata only", () => {
  it("lists them as PartialObjectMetadataList without data, whatever the Content-Type says", async () => {
    await cluster.kubectl(["apply", "-f", "-"], secretManifest("listed", cluster.namespace));
    const response = await kubeRequest(kc, `/api/v1/namespaces/${cluster.namespace}/secrets`, {
      cluster: name,
      accept: METADATA_LIST_ACCEPT,
    });
    expect(response.status).toBe(200);
    const list = await response.json<{ kind: string; items: Record<string, unknown>[] }>();
    expect(list.kind).toBe("PartialObjectMetadataList");
    const item = list.items.find((i) => (i.metadata as { name?: string }).name === "listed");
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty("data");
    expect(item).not.toHaveProperty("stringData");
  });

  it("drops last-applied-configuration and managedFields at the border: never cached nor logged", async () => {
    // The annotation really arrives: kubectl apply writes the Secret's data into it.
    const raw = await kubeRequest(kc, `/api/v1/namespaces/${cluster.namespace}/secrets/listed`, {
      cluster: name,
      accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1",
    });
    expect(await raw.text()).toContain(FAKE_VALUE);

    const logged: unknown[] = [];
    for (const level of ["trace", "debug", "info", "warn", "error", "fatal"] as const)
      vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logged.push(args));
    const secrets = watchedKinds.find((k) => k.key === "secrets")!;
    const cache = new KindCache(secrets, "v1", { cluster: name, loadConfig: () => kc, onChange: () => {} });
    caches.push(cache);
    cache.start();
    await eventually(() => (cache.status.state === "synced" ? true : undefined), 600);
    // One Secret reaches the cache by the list, the next by the watch.
    await cluster.kubectl(["apply", "-f", "-"], secretManifest("watched", cluster.namespace));
    const ours = await eventually(() => {
      const found = cache.list().filter((o) => o.metadata.namespace === cluster.namespace);
      return found.length === 2 ? found : undefined;
    }, 600);
    for (const object of ours) {
      expect(object.metadata.annotations ?? {}).not.toHaveProperty(
        "kubectl.kubernetes.io/last-applied-configuration",
      );
      expect(object.metadata).not.toHaveProperty("managedFields");
      expect(object.metadata.labels).toMatchObject({ "sealdeck.io/contract": "true" });
    }
    const held = JSON.stringify(cache.list());
    expect(held).not.toContain(FAKE_VALUE);
    expect(held).not.toContain("last-applied-configuration");
    expect(JSON.stringify(logged)).not.toContain(FAKE_VALUE);
  });
});

describe("watches", () => {
  it("hand their handlers only the stripped object, never the raw event", async () => {
    const seen: unknown[] = [];
    const watch = new KubeWatch(kc, {
      cluster: name,
      accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1",
      transform: secretMetadataOnly,
    });
    const controller = await watch.watch(
      `/api/v1/namespaces/${cluster.namespace}/secrets`,
      {},
      (...args) => seen.push(args),
      () => {},
    );
    await cluster.kubectl(["apply", "-f", "-"], secretManifest("streamed", cluster.namespace));
    await eventually(() => (JSON.stringify(seen).includes('"streamed"') ? true : undefined), 600);
    controller.abort();
    expect(JSON.stringify(seen)).not.toContain(FAKE_VALUE);
  });

  it("are ended by the server at timeoutSeconds, as the resume path expects", async () => {
    let ended: unknown = "open";
    const watch = new KubeWatch(kc, { cluster: name, timeoutSeconds: 1 });
    await watch.watch(
      `/api/v1/namespaces/${cluster.namespace}/secrets`,
      {},
      () => {},
      (error) => (ended = error),
    );
    await eventually(() => (ended === "open" ? undefined : true), 600);
    expect(ended).toBeNull();
  });
});

describe("impersonated access reviews", () => {
  it("answer as `kubectl auth can-i --as` does", async () => {
    const cases = [
      { user: "sealdeck-contract-nobody", groups: [] as string[] },
      { user: "sealdeck-contract-admin", groups: ["system:masters"] },
    ];
    for (const identity of cases) {
      const ours = await checkKubeAccess(kc, name, identity, {
        verb: "list",
        group: "",
        resource: "secrets",
        namespace: cluster.namespace,
      });
      const args = ["auth", "can-i", "list", "secrets", "-n", cluster.namespace, "--as", identity.user];
      for (const group of identity.groups) args.push("--as-group", group);
      // can-i exits 1 for "no"; its answer is on stdout either way.
      const answer = await runKubectl(cluster.kubeconfigPath, ["--context", cluster.context, ...args]);
      expect(answer.stdout.trim()).toBe(ours ? "yes" : "no");
    }
  });
});
