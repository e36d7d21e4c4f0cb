import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrivateKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Sandbox, SandboxCluster } from "../../start-sandbox";
import { unsealWithKeys } from "../../sealed-secrets/hybrid-decrypt";
import { startSandbox } from "../../start-sandbox";
import { eventually, kubeClient } from "../../testing/kube-request";
import { kubectlOk } from "../../testing/run-kubectl";

// Interop: SealedSecrets made by the upstream implementation, with its key restored from a backup
// given to --seed, must unseal into the expected values. No demo estate, so only these objects exist.
const interop = join(process.cwd(), "lib/sealing/testdata/interop");
const proxy = "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy";
let sandbox: Sandbox;
let cluster: SandboxCluster;
let api: ReturnType<typeof kubeClient>;
let seedDir: string;
let keyBackup: string;

beforeAll(async () => {
  seedDir = await mkdtemp(join(tmpdir(), "sandbox-interop-"));
  const [crt, key] = await Promise.all([
    readFile(join(interop, "tls.crt")),
    readFile(join(interop, "tls.key")),
  ]);
  keyBackup = stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
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
    ],
  });
  await writeFile(join(seedDir, "key-backup.yaml"), keyBackup);
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

async function secretValues(namespace: string, name: string): Promise<Record<string, string>> {
  const secret = (await api.send("GET", `/api/v1/namespaces/${namespace}/secrets/${name}`)).json<{
    data: Record<string, string>;
  }>();
  return Object.fromEntries(
    Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

describe("unsealing", () => {
  it("unseals the upstream interop vectors in all three scopes into the expected values", async () => {
    const expected = JSON.parse(await readFile(join(interop, "expected.json"), "utf8")) as Record<
      string,
      string
    >;
    for (const [path, value] of Object.entries(expected)) {
      const [namespace, name, key] = path.split("/") as [string, string, string];
      expect((await secretValues(namespace, name))[key], path).toBe(value);
    }
  });

  it("owns the Secret, applies the template and reports Synced=True", async () => {
    const secret = (await api.send("GET", "/api/v1/namespaces/staging/secrets/agent-secrets")).json<{
      type: string;
      metadata: {
        annotations: Record<string, string>;
        ownerReferences: { kind: string; controller: boolean }[];
      };
    }>();
    expect(secret.metadata.ownerReferences[0]).toMatchObject({ kind: "SealedSecret", controller: true });
    expect(secret.metadata.annotations["sealedsecrets.bitnami.com/namespace-wide"]).toBe("true");
    const sealed = (
      await api.send("GET", "/apis/bitnami.com/v1alpha1/namespaces/staging/sealedsecrets/agent-secrets")
    ).json<{ status: { conditions: unknown[] } }>();
    expect(sealed.status.conditions).toEqual([expect.objectContaining({ type: "Synced", status: "True" })]);
  });

  it("records an Unsealed event for every new spec, folded into one Event's count as client-go does", async () => {
    type Events = {
      items: { reason: string; count: number; firstTimestamp: string; lastTimestamp: string }[];
    };
    const unsealedEvents = async () =>
      JSON.parse(
        await kubectlOk(sandbox.kubeconfigPath, [
          "get",
          "events",
          "-n",
          "production",
          "--field-selector",
          "involvedObject.kind=SealedSecret,involvedObject.name=checkout-secrets",
          "-o",
          "json",
        ]),
      ).items.filter((e: Events["items"][number]) => e.reason === "Unsealed") as Events["items"];
    expect((await unsealedEvents()).map((e) => e.count)).toEqual([1]);

    // A new spec (here its template's labels; a rotation changes encryptedData) is unsealed again.
    await kubectlOk(sandbox.kubeconfigPath, [
      "patch",
      "sealedsecret",
      "checkout-secrets",
      "-n",
      "production",
      "--type",
      "merge",
      "-p",
      JSON.stringify({ spec: { template: { metadata: { labels: { release: "2" } } } } }),
    ]);
    const events = await eventually(async () => {
      const found = await unsealedEvents();
      return found[0]?.count === 2 ? found : undefined;
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.lastTimestamp >= events[0]!.firstTimestamp).toBe(true);
    const secret = (await api.send("GET", "/api/v1/namespaces/production/secrets/checkout-secrets")).json<{
      metadata: { labels?: Record<string, string> };
    }>();
    expect(secret.metadata.labels?.release).toBe("2");
  });

  it("reports Synced=False when the scope annotation no longer matches how it was sealed", async () => {
    // A strict-scope label cannot open a value sealed namespace-wide.
    await kubectlOk(sandbox.kubeconfigPath, [
      "annotate",
      "sealedsecret",
      "agent-secrets",
      "-n",
      "staging",
      "sealedsecrets.bitnami.com/namespace-wide-",
    ]);
    const condition = await eventually(async () => {
      const sealed = (
        await api.send("GET", "/apis/bitnami.com/v1alpha1/namespaces/staging/sealedsecrets/agent-secrets")
      ).json<{ status: { conditions: { status: string; message?: string }[] } }>();
      return sealed.status.conditions[0]?.status === "False" ? sealed.status.conditions[0] : undefined;
    });
    expect(condition.message).toBe("no key could decrypt secret (OPENAI_API_KEY)");
  });
});

describe("controller endpoints through services/proxy", () => {
  it("serves the newest key's certificate, which is the controller's own and not the restored one", async () => {
    const pem = (await api.send("GET", `${proxy}/v1/cert.pem`)).body;
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(pem.trim()).not.toBe((await readFile(join(interop, "tls.crt"), "utf8")).trim());
  });

  it("verify answers 200 for a SealedSecret it can open and 409 for one it cannot", async () => {
    const good = (
      await api.send("GET", "/apis/bitnami.com/v1alpha1/namespaces/production/sealedsecrets/checkout-secrets")
    ).json();
    expect((await api.send("POST", `${proxy}/v1/verify`, { body: good })).status).toBe(200);
    const moved = { ...good, metadata: { ...(good.metadata as object), name: "renamed" } };
    expect((await api.send("POST", `${proxy}/v1/verify`, { body: moved })).status).toBe(409);
  });

  it("rotate answers as upstream: a YAML or JSON SealedSecret re-sealed with the newest key only", async () => {
    const newestCert = (await api.send("GET", `${proxy}/v1/cert.pem`)).body.trim();
    const keySecrets = (
      await api.send(
        "GET",
        "/api/v1/namespaces/kube-system/secrets?labelSelector=sealedsecrets.bitnami.com%2Fsealed-secrets-key%3Dactive",
      )
    ).json<{ items: { data: Record<string, string> }[] }>().items;
    const keys = keySecrets.map((s) => ({
      cert: Buffer.from(s.data["tls.crt"]!, "base64").toString("utf8").trim(),
      key: createPrivateKey(Buffer.from(s.data["tls.key"]!, "base64").toString("utf8")),
    }));
    const newest = keys.filter((k) => k.cert === newestCert);
    const older = keys.filter((k) => k.cert !== newestCert);
    expect([newest.length, older.length]).toEqual([1, 1]);
    const expected = JSON.parse(await readFile(join(interop, "expected.json"), "utf8")) as Record<
      string,
      string
    >;
    // The Git manifest as kubeseal wrote it, sent as YAML (metadata differs from the template's: upstream aligns it).
    const documents = (await readFile(join(interop, "sealed-secrets.yaml"), "utf8")).split(/^---$/m);
    const agent = documents.find((d) => d.includes("name: agent-secrets"))!;
    const rotated = await api.send("POST", `${proxy}/v1/rotate`, {
      body: agent,
      headers: { "Content-Type": "application/yaml" },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const body = rotated.json<{
      apiVersion?: string;
      metadata: Record<string, unknown>;
      spec: { encryptedData: Record<string, string>; template: { metadata: Record<string, unknown> } };
    }>();
    expect(body.apiVersion).toBeUndefined();
    expect(body.metadata).toEqual({
      name: "agent-secrets",
      namespace: "staging",
      creationTimestamp: null,
      annotations: { "sealedsecrets.bitnami.com/namespace-wide": "true" },
    });
    expect(Object.keys(body.spec.encryptedData)).toEqual(["OPENAI_API_KEY"]);
    const value = body.spec.encryptedData.OPENAI_API_KEY!;
    // Namespace-wide label: the namespace alone.
    expect(
      unsealWithKeys(
        newest.map((k) => k.key),
        value,
        "staging",
      ).toString("utf8"),
    ).toBe(expected["staging/agent-secrets/OPENAI_API_KEY"]);
    expect(() =>
      unsealWithKeys(
        older.map((k) => k.key),
        value,
        "staging",
      ),
    ).toThrow();

    const checkout = (
      await api.send("GET", "/apis/bitnami.com/v1alpha1/namespaces/production/sealedsecrets/checkout-secrets")
    ).json<Record<string, unknown>>();
    const json = await api.send("POST", `${proxy}/v1/rotate`, { body: checkout });
    expect(json.status).toBe(200);
    const resealed = json.json<{ spec: { encryptedData: Record<string, string> } }>();
    expect(Object.keys(resealed.spec.encryptedData).sort()).toEqual([
      "PAYMENT_API_KEY",
      "STRIPE_WEBHOOK_SECRET",
    ]);
    for (const [key, sealed] of Object.entries(resealed.spec.encryptedData))
      expect(
        unsealWithKeys(
          newest.map((k) => k.key),
          sealed,
          "production/checkout-secrets",
        ).toString("utf8"),
      ).toBe(expected[`production/checkout-secrets/${key}`]);
  });

  it("rotate answers an empty 500 to what it cannot decode, a foreign kind, and what no key opens", async () => {
    const checkout = (
      await api.send("GET", "/apis/bitnami.com/v1alpha1/namespaces/production/sealedsecrets/checkout-secrets")
    ).json<{ metadata: Record<string, unknown> }>();
    const failures = [
      "{not json",
      JSON.stringify({ ...checkout, kind: undefined }),
      JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x", namespace: "production" } }),
      JSON.stringify({ ...checkout, metadata: { ...checkout.metadata, name: "renamed" } }),
    ];
    for (const body of failures) {
      const response = await api.send("POST", `${proxy}/v1/rotate`, { body });
      expect([response.status, response.body]).toEqual([500, ""]);
    }
  });

  it("rotate re-encrypts with the latest key, and renewal adds a key without dropping old ones", async () => {
    await cluster.sealedSecrets.renewKey();
    const keys = (
      await api.send(
        "GET",
        "/api/v1/namespaces/kube-system/secrets?labelSelector=sealedsecrets.bitnami.com%2Fsealed-secrets-key%3Dactive",
      )
    ).json<{ items: unknown[] }>();
    expect(keys.items).toHaveLength(3);
    const original = (
      await api.send("GET", "/apis/bitnami.com/v1alpha1/namespaces/production/sealedsecrets/checkout-secrets")
    ).json<{ spec: { encryptedData: Record<string, string> } }>();
    const rotated = await api.send("POST", `${proxy}/v1/rotate`, { body: original });
    expect(rotated.status).toBe(200);
    const body = rotated.json<{
      metadata: { name: string };
      spec: { encryptedData: Record<string, string> };
    }>();
    expect(body.spec.encryptedData.PAYMENT_API_KEY).not.toBe(original.spec.encryptedData.PAYMENT_API_KEY);
    // Without the restored key the rotated SealedSecret still opens: it is sealed for a controller key.
    await kubectlOk(sandbox.kubeconfigPath, [
      "delete",
      "secret",
      "sealed-secrets-key-restored",
      "-n",
      "kube-system",
    ]);
    expect(
      (await api.send("POST", `${proxy}/v1/verify`, { body: { ...body, kind: "SealedSecret" } })).status,
    ).toBe(200);
    expect((await api.send("POST", `${proxy}/v1/verify`, { body: original })).status).toBe(409);
  });

  it("tries keys restored later with kubectl apply (a key backup) on SealedSecrets that failed", async () => {
    await kubectlOk(sandbox.kubeconfigPath, [
      "delete",
      "sealedsecret",
      "checkout-secrets",
      "-n",
      "production",
    ]);
    await kubectlOk(sandbox.kubeconfigPath, ["apply", "-f", join(interop, "sealed-secrets.yaml")]);
    await eventually(async () => {
      const sealed = (
        await api.send(
          "GET",
          "/apis/bitnami.com/v1alpha1/namespaces/production/sealedsecrets/checkout-secrets",
        )
      ).json<{ status?: { conditions: { status: string }[] } }>();
      return sealed.status?.conditions[0]?.status === "False" ? true : undefined;
    });
    // A `kind: List` (what `kubectl get secret -l ... -o yaml` writes) needs --validate=false: kubectl
    // validates Lists against /openapi/v2, which the sandbox does not serve (see README).
    await kubectlOk(sandbox.kubeconfigPath, ["apply", "--validate=false", "-f", "-"], keyBackup);
    await eventually(async () =>
      (await secretValues("production", "checkout-secrets").catch(() => ({}) as Record<string, string>))
        .STRIPE_WEBHOOK_SECRET === "whsec_example_123"
        ? true
        : undefined,
    );
  });
});
