import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoSealedSecrets } from "../seed/demo-history";
import type { Sandbox } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { eventually, kubeClient } from "../testing/kube-request";

// With a GitOps repository the demo estate's secrets come from Git, as in a real estate: the sandbox
// commits them on first start and its sync applies them (tracked, so a removal from Git prunes them).
const run = promisify(execFile);
let dir: string;
let repo: string;
let sandbox: Sandbox;

type Item = {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  status?: { conditions?: { type: string; status: string }[]; refreshTime?: string };
};

const tracked = (item: Item) => item.metadata.labels?.["app.kubernetes.io/instance"] === "sealdeck-gitops";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sandbox-demo-from-git-"));
  repo = join(dir, "gitops");
  sandbox = await startSandbox({ quiet: true, clusters: 2, gitopsRepo: repo, gitopsPollMs: 100 });
});
afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the demo estate from Git", () => {
  it("applies each cluster's SealedSecrets from its folder, and they unseal", async () => {
    expect((await run("git", ["-C", repo, "ls-tree", "-r", "--name-only", "main"])).stdout).toContain(
      "sandbox-2/development/api-keys.sealedsecret.yaml",
    );
    for (const [index, cluster] of sandbox.clusters.entries()) {
      const api = kubeClient(sandbox.kubeconfig, { cluster: cluster.name });
      const list = async () =>
        (await api.send("GET", "/apis/bitnami.com/v1alpha1/sealedsecrets")).json<{ items: Item[] }>().items;
      const sealed = await eventually(async () => {
        const items = await list();
        return items.filter(tracked).length === demoSealedSecrets.length ? items : undefined;
      });
      // Nothing besides Git's copy: the seed no longer loads them directly.
      expect(sealed, `cluster ${index}`).toHaveLength(demoSealedSecrets.length);
      const apiKeys = sealed.find((s) => s.metadata.name === "api-keys");
      expect(apiKeys?.metadata.labels?.["sealdeck.io/owner"]).toBe("growth");
      const registry = sealed.find((s) => s.metadata.name === "shared-registry");
      expect(registry?.metadata.annotations?.["sealdeck.io/rotate-every"]).toBe("30d");
      await cluster.settle();
      const synced = await eventually(async () => {
        const items = await list();
        return items.every((s) => s.status?.conditions?.length) ? items : undefined;
      });
      const failed = synced
        .filter((s) => s.status?.conditions?.find((c) => c.type === "Synced")?.status !== "True")
        .map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
      expect(failed).toEqual(["production/legacy-payment-gateway"]);
    }
  });

  it("applies the ExternalSecrets from Git too, keeping the stale one's seeded status", async () => {
    const api = kubeClient(sandbox.kubeconfig, { cluster: "sandbox" });
    const external = await eventually(async () => {
      const items = (await api.send("GET", "/apis/external-secrets.io/v1/externalsecrets")).json<{
        items: Item[];
      }>().items;
      const stale = items.find((e) => e.metadata.name === "reporting-database");
      return stale && tracked(stale) ? items : undefined;
    });
    const stale = external.find((e) => e.metadata.name === "reporting-database")!;
    expect(Date.now() - Date.parse(stale.status?.refreshTime ?? "")).toBeGreaterThan(30 * 24 * 3600_000);
    // Every ExternalSecret but the ClusterExternalSecret's children (which it makes) is Git's.
    const untracked = external
      .filter((e) => !tracked(e))
      .map((e) => `${e.metadata.namespace}/${e.metadata.name}`);
    expect(untracked.sort()).toEqual(["production/registry-pull-secret", "staging/registry-pull-secret"]);
  });
});
