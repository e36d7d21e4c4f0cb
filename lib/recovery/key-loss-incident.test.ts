import { createHash, createPublicKey, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import type * as InventoryModule from "@/lib/kube/inventory";
import type { Inventory } from "@/lib/kube/inventory";
import { loadClusterRegistry } from "@/lib/kube/load-cluster-registry";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { KeyLossIncident, RecoveryResponse } from "@/lib/validations/recovery";
import { hybridEncrypt } from "@/sandbox/sealed-secrets/hybrid-encrypt";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually, kubeClient } from "@/sandbox/testing/kube-request";
import { kubectlOk } from "@/sandbox/testing/run-kubectl";

// Issue #21 item 1 against the sandbox: the cluster's keys are replaced as a rebuild without its key
// backup would; one incident appears with exactly the SealedSecrets sealed with the lost key (and
// their workloads), only what the viewer may see; restoring the backup clears it.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));
const current = vi.hoisted(() => ({ inventory: null as Inventory | null }));
vi.mock("@/lib/kube/inventory", async (importOriginal) => ({
  ...(await importOriginal<typeof InventoryModule>()),
  getInventory: () => current.inventory,
}));

setupMigratedDatabase({ appClient: true });
const interop = join(process.cwd(), "lib/sealing/testdata/interop");
const proxy = "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy";
let sandbox: Sandbox;
let inventory: Inventory;
let seedDir: string;
let lostKeySha: string;

const lead = testPrincipal({
  userId: "u-lead",
  username: "lead",
  displayName: "Lead",
  role: "security-lead",
});
const stagingDeveloper = testPrincipal({
  userId: "u-dev",
  username: "dev",
  displayName: "Dev",
  role: "developer",
  grants: [{ cluster: "sandbox", namespace: "staging" }],
});

async function incidents(principal = lead): Promise<KeyLossIncident[]> {
  session.principal = principal;
  const { GET } = await import("@/app/api/recovery/route");
  const response = await GET(new Request("http://sealdeck.test/api/recovery"));
  expect(response.status).toBe(200);
  return ((await response.json()) as RecoveryResponse).incidents;
}

async function refreshed(): Promise<void> {
  await sandbox.clusters[0]!.settle();
  await inventory.cluster("sandbox")!.refreshController();
  inventory.flush();
}

beforeAll(async () => {
  seedDir = await mkdtemp(join(tmpdir(), "recovery-key-loss-"));
  const [crt, key] = await Promise.all([
    readFile(join(interop, "tls.crt")),
    readFile(join(interop, "tls.key")),
  ]);
  lostKeySha = createHash("sha256")
    .update(new X509Certificate(crt).publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
  const manifests = [
    ...["production", "staging", "development"].map((name) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name },
    })),
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "sealed-secrets-key-restored",
        namespace: "kube-system",
        labels: { "sealedsecrets.bitnami.com/sealed-secrets-key": "active" },
      },
      type: "kubernetes.io/tls",
      data: { "tls.crt": crt.toString("base64"), "tls.key": key.toString("base64") },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "checkout", namespace: "production" },
      spec: {
        selector: { matchLabels: { app: "checkout" } },
        template: {
          metadata: { labels: { app: "checkout" } },
          spec: {
            containers: [
              { name: "app", image: "checkout", envFrom: [{ secretRef: { name: "checkout-secrets" } }] },
            ],
          },
        },
      },
    },
  ];
  await writeFile(join(seedDir, "objects.yaml"), manifests.map((m) => stringify(m)).join("---\n"));
  const sealed = (await readFile(join(interop, "sealed-secrets.yaml"), "utf8")).replace(
    "  name: checkout-secrets\n  namespace: production\n",
    `  name: checkout-secrets\n  namespace: production\n  annotations:\n    sealdeck.io/sealed-with: ${lostKeySha}\n`,
  );
  expect(sealed).toContain(lostKeySha);
  await writeFile(join(seedDir, "sealed-secrets.yaml"), sealed);
  sandbox = await startSandbox({ noDemo: true, quiet: true, seedDirs: [seedDir] });
  await sandbox.clusters[0]!.settle();
  const { Inventory } = await import("@/lib/kube/inventory");
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
  current.inventory = inventory;
  inventory.start();
  await inventory.ready(60_000);
}, 120_000);
afterAll(async () => {
  inventory?.stop();
  await sandbox?.stop();
  if (seedDir) await rm(seedDir, { recursive: true, force: true });
});

describe("a lost sealing key", () => {
  it("is one incident with exactly the SealedSecrets the lost key sealed, and clears when the backup is restored", async () => {
    await refreshed();
    expect(await incidents()).toEqual([]);

    const { backupYaml } = await sandbox.clusters[0]!.sealedSecrets.replaceKeys();
    // A SealedSecret sealed with the new key after the rebuild is not part of the incident.
    const api = kubeClient(sandbox.kubeconfig);
    const cert = createPublicKey((await api.send("GET", `${proxy}/v1/cert.pem`)).body);
    const fresh = hybridEncrypt(cert, Buffer.from("value"), Buffer.from("production/fresh-secret"));
    await kubectlOk(
      sandbox.kubeconfigPath,
      ["apply", "-f", "-"],
      stringify({
        apiVersion: "bitnami.com/v1alpha1",
        kind: "SealedSecret",
        metadata: { name: "fresh-secret", namespace: "production" },
        spec: { encryptedData: { TOKEN: fresh.toString("base64") } },
      }),
    );

    const [incident] = await eventually(async () => {
      await refreshed();
      const found = await incidents();
      return found[0]?.secrets.length === 3 ? found : undefined;
    }, 200);
    expect(incident).toMatchObject({ kind: "key-loss", id: "key-loss/sandbox", cluster: "sandbox" });
    expect(incident!.secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      "development/shared-registry",
      "production/checkout-secrets",
      "staging/agent-secrets",
    ]);
    expect(incident!.missingKeys).toContainEqual(
      expect.objectContaining({ publicKeySha256: lostKeySha, evidence: "sealed-with", secretCount: 1 }),
    );
    expect(incident!.missingKeys.find((k) => k.evidence === "diagnosis")?.secretCount).toBe(2);
    const checkout = incident!.secrets.find((s) => s.name === "checkout-secrets")!;
    expect(checkout.keys).toEqual(["PAYMENT_API_KEY", "STRIPE_WEBHOOK_SECRET"]);
    expect(checkout.consumers).toEqual([
      expect.objectContaining({ kind: "Deployment", namespace: "production", name: "checkout" }),
    ]);
    expect(incident!.workloadCount).toBe(1);
    expect(incident!.currentKeyNames).toHaveLength(1);
    expect(incident!.restoreCommands).toEqual([
      "kubectl --context sandbox apply -n kube-system -f sealed-secrets-key-backup.yaml",
      "kubectl --context sandbox rollout restart -n kube-system deployment/sealed-secrets-controller",
    ]);
    // No key material in what the browser receives.
    expect(JSON.stringify(incident)).not.toMatch(/PRIVATE KEY|tls\.key/);

    // A developer granted staging only sees staging's secret in the incident.
    const [narrow] = await incidents(stagingDeveloper);
    expect(narrow!.secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual(["staging/agent-secrets"]);

    await kubectlOk(sandbox.kubeconfigPath, ["apply", "--validate=false", "-f", "-"], backupYaml);
    await kubectlOk(sandbox.kubeconfigPath, [
      "rollout",
      "restart",
      "deployment/sealed-secrets-controller",
      "-n",
      "kube-system",
    ]);
    await eventually(async () => {
      await refreshed();
      return (await incidents()).length === 0 ? true : undefined;
    }, 200);
  });
});
