import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { kubeClient } from "../testing/kube-request";

// The built-in demo estate shows every state the dashboard has to render, and --objects adds a
// generated estate of the requested size on top.
let sandbox: Sandbox;
let api: ReturnType<typeof kubeClient>;

type Item = {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  status?: { conditions?: { status: string; reason?: string }[]; refreshTime?: string };
};
const list = async (path: string) => (await api.send("GET", path)).json<{ items: Item[] }>().items;
const key = (item: Item) => `${item.metadata.namespace}/${item.metadata.name}`;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true, objects: 200 });
  api = kubeClient(sandbox.kubeconfig);
  await sandbox.clusters[0]!.settle();
});
afterAll(() => sandbox?.stop());

describe("demo estate", () => {
  it("has SealedSecrets in all three scopes that unseal, and one that cannot", async () => {
    const sealed = (await list("/apis/bitnami.com/v1alpha1/sealedsecrets")).filter(
      (s) => !s.metadata.namespace?.startsWith("estate-"),
    );
    const annotations = sealed.map((s) => s.metadata.annotations ?? {});
    expect(annotations.some((a) => a["sealedsecrets.bitnami.com/cluster-wide"] === "true")).toBe(true);
    expect(annotations.some((a) => a["sealedsecrets.bitnami.com/namespace-wide"] === "true")).toBe(true);
    const failed = sealed.filter((s) => s.status?.conditions?.[0]?.status === "False").map(key);
    expect(failed).toEqual(["production/legacy-payment-gateway"]);
    expect(sealed.filter((s) => s.status?.conditions?.[0]?.status === "True")).toHaveLength(
      sealed.length - 1,
    );
  });

  it("has healthy, failing and stale ExternalSecrets", async () => {
    const external = (await list("/apis/external-secrets.io/v1/externalsecrets")).filter(
      (s) => !s.metadata.namespace?.startsWith("estate-"),
    );
    const byKey = Object.fromEntries(external.map((e) => [key(e), e]));
    expect(byKey["production/stripe-credentials"]?.status?.conditions?.[0]?.reason).toBe("SecretSynced");
    expect(byKey["production/analytics-warehouse"]?.status?.conditions?.[0]?.reason).toBe(
      "SecretSyncedError",
    );
    expect(byKey["production/legacy-aws-credentials"]?.status?.conditions?.[0]?.reason).toBe(
      "SecretSyncedError",
    );
    const stale = byKey["staging/reporting-database"]?.status?.refreshTime ?? "";
    expect(Date.now() - Date.parse(stale)).toBeGreaterThan(30 * 24 * 3600_000);
    // The ClusterExternalSecret reached both namespaces labelled registry-access=true.
    expect(byKey["production/registry-pull-secret"]).toBeDefined();
    expect(byKey["staging/registry-pull-secret"]).toBeDefined();
  });

  it("has workloads consuming secrets through env, envFrom and volumes, and Argo CD Applications", async () => {
    const text = JSON.stringify(await list("/apis/apps/v1/deployments"));
    expect(text).toContain("secretKeyRef");
    expect(text).toContain('"secretRef"');
    expect(text).toContain("secretName");
    expect(
      (await list("/apis/argoproj.io/v1alpha1/namespaces/argocd/applications")).length,
    ).toBeGreaterThanOrEqual(3);
  });
});

describe("generated estate", () => {
  it("adds the requested SealedSecrets, half as many ExternalSecrets, over count/20 namespaces", async () => {
    const namespaces = (await list("/api/v1/namespaces")).filter((n) =>
      n.metadata.name.startsWith("estate-"),
    );
    expect(namespaces).toHaveLength(10);
    expect(
      (await list("/apis/bitnami.com/v1alpha1/sealedsecrets")).filter((s) =>
        s.metadata.namespace?.startsWith("estate-"),
      ),
    ).toHaveLength(200);
    const external = (await list("/apis/external-secrets.io/v1/externalsecrets")).filter((s) =>
      s.metadata.namespace?.startsWith("estate-"),
    );
    expect(external).toHaveLength(100);
    expect(external.filter((e) => e.status?.conditions?.[0]?.reason === "SecretSyncedError")).toHaveLength(2);
  });
});
