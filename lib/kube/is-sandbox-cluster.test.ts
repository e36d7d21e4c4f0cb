import { expect, it } from "vitest";
import { isSandboxCluster } from "./is-sandbox-cluster";

it("recognises the sandbox by its kubeconfig extension or its names", () => {
  expect(
    isSandboxCluster({ contextName: "dev", clusterName: "dev", extensionNames: ["sealdeck.io/sandbox"] }),
  ).toBe(true);
  expect(isSandboxCluster({ contextName: "sandbox-2", clusterName: "sandbox-2", extensionNames: [] })).toBe(
    true,
  );
  expect(isSandboxCluster({ contextName: "prod-eu", clusterName: "prod-eu", extensionNames: [] })).toBe(
    false,
  );
  expect(isSandboxCluster({ contextName: "sandbox", clusterName: "prod-eu", extensionNames: [] })).toBe(
    false,
  );
});
