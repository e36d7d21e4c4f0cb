import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Sandbox, SandboxCluster } from "../../start-sandbox";
import { startSandbox } from "../../start-sandbox";
import { eventually, kubeClient } from "../../testing/kube-request";
import { kubectlOk } from "../../testing/run-kubectl";

// A cluster rebuilt without its key backup: the interop SealedSecrets were sealed with the restored
// key, so after the keys are replaced none opens; restoring the backup brings them back.
const interop = join(process.cwd(), "lib/sealing/testdata/interop");
const keysPath =
  "/api/v1/namespaces/kube-system/secrets?labelSelector=sealedsecrets.bitnami.com%2Fsealed-secrets-key";
let sandbox: Sandbox;
let cluster: SandboxCluster;
let api: ReturnType<typeof kubeClient>;
let seedDir: string;

type Condition = { type: string; status: string; message?: string };

async function synced(namespace: string, name: string): Promise<Condition | undefined> {
  const sealed = (
    await api.send("GET", `/apis/bitnami.com/v1alpha1/namespaces/${namespace}/sealedsecrets/${name}`)
  ).json<{ status?: { conditions?: Condition[] } }>();
  return sealed.status?.conditions?.find((c) => c.type === "Synced");
}

async function keyNames(): Promise<string[]> {
  return (await api.send("GET", keysPath))
    .json<{ items: { metadata: { name: string } }[] }>()
    .items.map((s) => s.metadata.name)
    .sort();
}

beforeAll(async () => {
  seedDir = await mkdtemp(join(tmpdir(), "sandbox-lost-keys-"));
  const [crt, key] = await Promise.all([
    readFile(join(interop, "tls.crt")),
    readFile(join(interop, "tls.key")),
  ]);
  await writeFile(
    join(seedDir, "key-backup.yaml"),
    stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "sealed-secrets-key-restored",
        namespace: "kube-system",
        labels: { "sealedsecrets.bitnami.com/sealed-secrets-key": "active" },
      },
      type: "kubernetes.io/tls",
      data: { "tls.crt": crt.toString("base64"), "tls.key": key.toString("base64") },
    }),
  );
  await writeFile(
    join(seedDir, "namespaces.yaml"),
    ["production", "staging", "development"]
      .map((name) => stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name } }))
      .join("---\n"),
  );
  await writeFile(join(seedDir, "sealed-secrets.yaml"), await readFile(join(interop, "sealed-secrets.yaml")));
  sandbox = await startSandbox({ noDemo: true, quiet: true, seedDirs: [seedDir] });
  cluster = sandbox.clusters[0]!;
  api = kubeClient(sandbox.kubeconfig);
  await cluster.settle();
});
afterAll(async () => {
  await sandbox?.stop();
  if (seedDir) await rm(seedDir, { recursive: true, force: true });
});

describe("losing and restoring the sealing keys", () => {
  it("replaceKeys drops every key for one new key, and what the old keys sealed fails as upstream reports", async () => {
    expect((await synced("production", "checkout-secrets"))?.status).toBe("True");
    const before = await keyNames();
    expect(before).toHaveLength(2);
    const { backupYaml } = await cluster.sealedSecrets.replaceKeys();
    await cluster.settle();
    const after = await keyNames();
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
    const backup = parse(backupYaml) as { kind: string; items: { metadata: { name: string } }[] };
    expect(backup.kind).toBe("List");
    expect(backup.items.map((i) => i.metadata.name).sort()).toEqual(before);
    const condition = await synced("production", "checkout-secrets");
    expect(condition).toMatchObject({
      status: "False",
      message: "no key could decrypt secret (PAYMENT_API_KEY, STRIPE_WEBHOOK_SECRET)",
    });
    expect(condition).not.toHaveProperty("reason");

    // Restoring as upstream documents: apply the backup, then restart the controller.
    await kubectlOk(sandbox.kubeconfigPath, ["apply", "--validate=false", "-f", "-"], backupYaml);
    await kubectlOk(sandbox.kubeconfigPath, [
      "rollout",
      "restart",
      "deployment/sealed-secrets-controller",
      "-n",
      "kube-system",
    ]);
    await eventually(async () =>
      (await synced("production", "checkout-secrets"))?.status === "True" ? true : undefined,
    );
    expect(await keyNames()).toEqual([...before, ...after].sort());
  });

  it("from outside: deleting the key Secrets and restarting the controller makes a fresh key", async () => {
    await kubectlOk(sandbox.kubeconfigPath, [
      "delete",
      "secret",
      "-n",
      "kube-system",
      "-l",
      "sealedsecrets.bitnami.com/sealed-secrets-key",
    ]);
    expect(await keyNames()).toEqual([]);
    // Any change to the pod template restarts it (`rollout restart` refuses a second one within a second).
    await kubectlOk(sandbox.kubeconfigPath, [
      "patch",
      "deployment/sealed-secrets-controller",
      "-n",
      "kube-system",
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { template: { metadata: { annotations: { "example.com/restart": "2" } } } } }),
    ]);
    const fresh = await eventually(async () => {
      const names = await keyNames();
      return names.length === 1 ? names : undefined;
    });
    expect(fresh[0]).toMatch(/^sealed-secrets-key[0-9a-f]{5}$/);
    await eventually(async () =>
      (await synced("staging", "agent-secrets"))?.status === "False" ? true : undefined,
    );
  });
});
