import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Sandbox } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { eventually } from "../testing/kube-request";
import { kubectlOk, runKubectl } from "../testing/run-kubectl";

// The stock kubectl is the independent client that keeps the sandbox honest: every command here is
// one a person exploring the demo estate would type.
let sandbox: Sandbox;
let kubeconfig: string;
const kubectl = (...args: string[]) => kubectlOk(kubeconfig, args);

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  kubeconfig = sandbox.kubeconfigPath;
  await sandbox.clusters[0]!.settle();
});
afterAll(() => sandbox?.stop());

describe("reading the demo estate", () => {
  it("get sealedsecrets -A shows each one's sync state", async () => {
    const out = await kubectl("get", "sealedsecrets", "-A");
    expect(out).toMatch(/^NAMESPACE\s+NAME\s+STATUS\s+SYNCED\s+AGE/);
    expect(out).toMatch(/production\s+checkout-secrets\s+True/);
    expect(out).toMatch(
      /production\s+legacy-payment-gateway\s+no key could decrypt secret \(GATEWAY_API_KEY\)\s+False/,
    );
  });

  it("get externalsecrets -A -o wide shows store, status and readiness", async () => {
    const out = await kubectl("get", "externalsecrets", "-A", "-o", "wide");
    expect(out).toMatch(/STORETYPE\s+STORE\s+REFRESH INTERVAL\s+STATUS\s+READY\s+LAST SYNC/);
    expect(out).toMatch(/production\s+stripe-credentials\s+SecretStore\s+vault\s+1h\s+SecretSynced\s+True/);
    expect(out).toMatch(
      /production\s+analytics-warehouse\s+SecretStore\s+vault\s+1h\s+SecretSyncedError\s+False/,
    );
  });

  it("get secret -n kube-system -l sealed-secrets-key -o yaml lists the sealing keys", async () => {
    const list = parse(
      await kubectl(
        "get",
        "secret",
        "-n",
        "kube-system",
        "-l",
        "sealedsecrets.bitnami.com/sealed-secrets-key",
        "-o",
        "yaml",
      ),
    ) as { items: { type: string; metadata: { labels: Record<string, string> } }[] };
    expect(list.items.length).toBe(2);
    for (const item of list.items) {
      expect(item.type).toBe("kubernetes.io/tls");
      expect(item.metadata.labels["sealedsecrets.bitnami.com/sealed-secrets-key"]).toBe("active");
    }
  });

  it("fetches the controller certificate through the service proxy, as kubeseal does", async () => {
    const pem = await kubectl(
      "get",
      "--raw",
      "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem",
    );
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it("marks the cluster as a sandbox on kube-system", async () => {
    expect(
      await kubectl("get", "ns", "kube-system", "-o", "jsonpath={.metadata.labels.sealdeck\\.io/sandbox}"),
    ).toBe("true");
  });
});

describe("changing things", () => {
  it("annotate force-sync re-syncs an ExternalSecret at once", async () => {
    const before = await kubectl(
      "get",
      "externalsecret",
      "stripe-credentials",
      "-n",
      "production",
      "-o",
      "jsonpath={.status.syncedResourceVersion}",
    );
    await kubectl(
      "annotate",
      "externalsecret",
      "stripe-credentials",
      "-n",
      "production",
      `force-sync=${Date.now()}`,
      "--overwrite",
    );
    const after = await eventually(async () => {
      const value = await kubectl(
        "get",
        "externalsecret",
        "stripe-credentials",
        "-n",
        "production",
        "-o",
        "jsonpath={.status.syncedResourceVersion}",
      );
      return value !== before ? value : undefined;
    });
    expect(after).toMatch(/^1-[0-9a-f]{32}$/);
  });

  it("apply -f creates, re-applies unchanged, updates with a strategic merge patch, and delete removes", async () => {
    const manifest = (image: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: kubectl-apply}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: kubectl-apply}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: ${image}
          env: [{name: A, value: "1"}]
`;
    expect(await kubectlOk(kubeconfig, ["apply", "-f", "-"], manifest("api:1"))).toMatch(
      /deployment.apps\/api created/,
    );
    expect(await kubectlOk(kubeconfig, ["apply", "-f", "-"], manifest("api:1"))).toMatch(
      /deployment.apps\/api unchanged/,
    );
    expect(await kubectlOk(kubeconfig, ["apply", "-f", "-"], manifest("api:2"))).toMatch(
      /deployment.apps\/api configured/,
    );
    expect(
      await kubectl(
        "get",
        "deploy",
        "api",
        "-n",
        "kubectl-apply",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}",
      ),
    ).toBe("api:2 2");
    await kubectl(
      "patch",
      "deploy",
      "api",
      "-n",
      "kubectl-apply",
      "-p",
      '{"spec":{"template":{"spec":{"containers":[{"name":"api","env":[{"name":"B","value":"2"}]}]}}}}',
    );
    expect(
      await kubectl(
        "get",
        "deploy",
        "api",
        "-n",
        "kubectl-apply",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].env[*].name}",
      ),
    ).toBe("A B");
    await kubectl("delete", "deploy", "api", "-n", "kubectl-apply");
    expect((await runKubectl(kubeconfig, ["get", "deploy", "api", "-n", "kubectl-apply"])).stderr).toMatch(
      /NotFound/,
    );
  });

  it("create, label, annotate and patch (merge and json) work on core and custom kinds", async () => {
    await kubectl(
      "create",
      "secret",
      "generic",
      "made-by-kubectl",
      "-n",
      "development",
      "--from-literal=token=abc",
    );
    expect(
      Buffer.from(
        await kubectl(
          "get",
          "secret",
          "made-by-kubectl",
          "-n",
          "development",
          "-o",
          "jsonpath={.data.token}",
        ),
        "base64",
      ).toString(),
    ).toBe("abc");
    await kubectl("label", "sealedsecret", "api-keys", "-n", "development", "owner=growth");
    await kubectl("annotate", "sealedsecret", "api-keys", "-n", "development", "note=rotated");
    await kubectl(
      "patch",
      "sealedsecret",
      "api-keys",
      "-n",
      "development",
      "--type",
      "merge",
      "-p",
      '{"metadata":{"labels":{"tier":"gold"}}}',
    );
    await kubectl(
      "patch",
      "sealedsecret",
      "api-keys",
      "-n",
      "development",
      "--type",
      "json",
      "-p",
      '[{"op":"remove","path":"/metadata/labels/tier"}]',
    );
    const labels = JSON.parse(
      await kubectl(
        "get",
        "sealedsecret",
        "api-keys",
        "-n",
        "development",
        "-o",
        "jsonpath={.metadata.labels}",
      ),
    ) as Record<string, string>;
    expect(labels).toMatchObject({ owner: "growth" });
    expect(labels.tier).toBeUndefined();
  });

  it("get -w streams changes", async () => {
    const watches = sandbox.clusters[0]!.context.openWatches;
    const before = watches.size;
    const child = spawn("kubectl", [
      "--kubeconfig",
      kubeconfig,
      "get",
      "configmaps",
      "-n",
      "development",
      "-w",
      "--output-watch-events",
    ]);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    try {
      // Changes are made only once kubectl's watch is open on the server, so none can slip between.
      await eventually(() => (watches.size > before ? true : undefined));
      await kubectl("create", "configmap", "watched", "-n", "development", "--from-literal=a=1");
      await kubectl("delete", "configmap", "watched", "-n", "development");
      await eventually(() => (/DELETED\s+watched/.test(out) ? true : undefined));
      expect(out).toMatch(/ADDED\s+watched/);
    } finally {
      child.kill();
    }
  });
});

describe("access control", () => {
  it("auth can-i answers from the policy, also with --as impersonation", async () => {
    expect((await kubectl("auth", "can-i", "delete", "secrets", "-n", "production")).trim()).toBe("yes");
    const denied = await runKubectl(kubeconfig, [
      "auth",
      "can-i",
      "get",
      "secrets",
      "-n",
      "production",
      "--as",
      "developer",
    ]);
    expect(denied.stdout.trim()).toBe("no");
    expect(
      (
        await kubectl("auth", "can-i", "get", "sealedsecrets", "-n", "production", "--as", "developer")
      ).trim(),
    ).toBe("yes");
    expect(await kubectl("auth", "can-i", "--list", "-n", "development", "--as", "developer")).toMatch(
      /sealedsecrets/,
    );
  });

  it("--as makes requests as another user, limited to what that user may do", async () => {
    const forbidden = await runKubectl(kubeconfig, [
      "get",
      "secrets",
      "-n",
      "production",
      "--as",
      "developer",
    ]);
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.stderr).toMatch(/Forbidden.*User "developer" cannot list resource "secrets"/);
    expect(await kubectl("get", "sealedsecrets", "-n", "production", "--as", "developer")).toMatch(
      /checkout-secrets/,
    );
    // The developer may not impersonate anyone in turn.
    const chained = await runKubectl(kubeconfig, [
      "get",
      "ns",
      "--user",
      "developer",
      "--as",
      "sandbox-admin",
    ]);
    expect(chained.stderr).toMatch(/cannot impersonate/);
  });
});
