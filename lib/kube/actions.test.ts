import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually } from "@/sandbox/testing/kube-request";
import { kubectlOk } from "@/sandbox/testing/run-kubectl";
import { discoverSealingController, type SealingControllerRef } from "./discover-sealing-controller";
import { forceSyncExternalSecret } from "./force-sync-external-secret";
import { ownAccess } from "./kube-identity";
import { loadClusterRegistry } from "./load-cluster-registry";
import { restartConsumers } from "./restart-consumers";
import { verifySealedSecret } from "./verify-sealed-secret";

// The three cluster actions against the sandbox, checked with the stock kubectl.
let sandbox: Sandbox;
let kc: KubeConfig;
let controller: SealingControllerRef;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
  await sandbox.clusters[0]!.settle();
  kc = loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath })[0]!.load();
  controller = (await discoverSealingController(kc, "sandbox"))!;
});
afterAll(() => sandbox?.stop());

const jsonpath = (args: string[], path: string) =>
  kubectlOk(sandbox.kubeconfigPath, ["get", ...args, "-o", `jsonpath=${path}`]);

describe("cluster actions", () => {
  it("force-syncs an ExternalSecret by annotation, and ESO syncs it again", async () => {
    const before = await jsonpath(
      ["externalsecret", "stripe-credentials", "-n", "production"],
      "{.status.syncedResourceVersion}",
    );
    const value = await forceSyncExternalSecret(
      ownAccess(kc),
      {
        cluster: "sandbox",
        kind: "ExternalSecret",
        namespace: "production",
        name: "stripe-credentials",
        version: "v1",
      },
      new Date("2030-01-01T00:00:00Z"),
    );
    expect(value).toBe("1893456000");
    expect(
      await jsonpath(
        ["externalsecret", "stripe-credentials", "-n", "production"],
        "{.metadata.annotations.force-sync}",
      ),
    ).toBe("1893456000");
    await eventually(
      async () =>
        (await jsonpath(
          ["externalsecret", "stripe-credentials", "-n", "production"],
          "{.status.syncedResourceVersion}",
        )) !== before
          ? true
          : undefined,
      400,
    );
  });

  it("force-syncs a ClusterExternalSecret, which copies the annotation to its ExternalSecrets", async () => {
    await forceSyncExternalSecret(ownAccess(kc), {
      cluster: "sandbox",
      kind: "ClusterExternalSecret",
      namespace: null,
      name: "registry-pull-secret",
      version: "v1",
    });
    await eventually(
      async () =>
        (await jsonpath(
          ["externalsecret", "registry-pull-secret", "-n", "staging"],
          "{.metadata.annotations.external-secrets\\.io/force-sync}",
        ))
          ? true
          : undefined,
      400,
    );
  });

  it("restarts the workloads that use a secret, skipping CronJobs", async () => {
    const result = await restartConsumers(
      ownAccess(kc),
      "sandbox",
      [
        { kind: "Deployment", namespace: "production", name: "checkout", via: ["env"] },
        { kind: "StatefulSet", namespace: "production", name: "orders-worker", via: ["envFrom"] },
        { kind: "CronJob", namespace: "production", name: "nightly-export", via: ["env"] },
      ],
      new Date("2030-01-01T00:00:00Z"),
    );
    expect(result.restarted.map((c) => c.name)).toEqual(["checkout", "orders-worker"]);
    expect(result.skipped.map((s) => s.consumer.name)).toEqual(["nightly-export"]);
    expect(
      await jsonpath(
        ["deployment", "checkout", "-n", "production"],
        "{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}",
      ),
    ).toBe("2030-01-01T00:00:00.000Z");
    expect(
      await jsonpath(
        ["statefulset", "orders-worker", "-n", "production"],
        "{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}",
      ),
    ).toBe("2030-01-01T00:00:00.000Z");
  });

  it("validates SealedSecrets through the controller's /v1/verify", async () => {
    expect(
      await verifySealedSecret(ownAccess(kc), "sandbox", controller, {
        namespace: "production",
        name: "checkout-secrets",
      }),
    ).toMatchObject({ valid: true });
    expect(
      await verifySealedSecret(ownAccess(kc), "sandbox", controller, {
        namespace: "production",
        name: "legacy-payment-gateway",
      }),
    ).toMatchObject({ valid: false });
  });

  it("passes a Kubernetes 403 through with cluster and namespace", async () => {
    const registry = loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath })[0]!;
    const auditor = registry.load();
    const user = auditor.getUsers().find((u) => u.name === "auditor")!;
    auditor.contexts = auditor.contexts.map((c) => ({ ...c, user: user.name }));
    await expect(
      restartConsumers(ownAccess(auditor), "sandbox", [
        { kind: "Deployment", namespace: "production", name: "checkout", via: ["env"] },
      ]),
    ).rejects.toMatchObject({ code: "forbidden", details: { cluster: "sandbox", namespace: "production" } });
  });
});
