import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { eventually } from "@/sandbox/testing/kube-request";
import { openTestCluster, type TestCluster } from "@/sandbox/testing/open-test-cluster";
import { Inventory } from "./inventory";
import { loadClusterRegistry } from "./load-cluster-registry";

vi.mock("server-only", () => ({}));

// Contract test (sandbox by default, any cluster with SEALDECK_TEST_KUBECONFIG): the inventory lists
// what kubectl lists, and follows changes. A real cluster needs the SealedSecret CRD installed.
let cluster: TestCluster;
let inventory: Inventory;

const sealedSecret = (name: string, namespace: string) => `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  encryptedData:
    token: AgBy3i4OJSWK+PiTySYZZA==
  template:
    metadata:
      name: ${name}
      namespace: ${namespace}
`;

beforeAll(async () => {
  cluster = await openTestCluster();
  await cluster.kubectl(["apply", "-f", "-"], sealedSecret("first", cluster.namespace));
  inventory = new Inventory(
    loadClusterRegistry({ KUBECONFIG: cluster.kubeconfigPath }).filter((e) => e.name === cluster.context),
  );
  inventory.start();
  await inventory.ready(60_000);
}, 120_000);
afterAll(async () => {
  inventory?.stop();
  await cluster?.stop();
});

const kubectlNames = async () =>
  (
    await cluster.kubectl([
      "get",
      "sealedsecrets",
      "-n",
      cluster.namespace,
      "-o",
      "jsonpath={.items[*].metadata.name}",
    ])
  )
    .split(/\s+/)
    .filter(Boolean)
    .sort();

const inventoryNames = () =>
  inventory
    .list()
    .filter((r) => r.kind === "SealedSecret" && r.namespace === cluster.namespace)
    .map((r) => r.name)
    .sort();

it("lists the SealedSecrets kubectl lists, and follows an added and a deleted one", async () => {
  await eventually(() => (inventoryNames().length === 1 ? true : undefined), 600);
  expect(inventoryNames()).toEqual(await kubectlNames());

  await cluster.kubectl(["apply", "-f", "-"], sealedSecret("second", cluster.namespace));
  await eventually(() => (inventoryNames().length === 2 ? true : undefined), 600);
  expect(inventoryNames()).toEqual(await kubectlNames());

  await cluster.kubectl(["delete", "sealedsecret", "first", "-n", cluster.namespace]);
  await eventually(() => (inventoryNames().join() === "second" ? true : undefined), 600);
  expect(inventoryNames()).toEqual(await kubectlNames());
  expect(inventory.clusterStatuses().find((c) => c.name === cluster.context)?.state).toBe("synced");
});
