import { describe, expect, it } from "vitest";
import { findConsumers, indexConsumers, secretReferences } from "./find-consumers";
import type { KubeObject } from "./strip-object";

const podSpec = {
  initContainers: [{ env: [{ name: "A", valueFrom: { secretKeyRef: { name: "init-secret", key: "a" } } }] }],
  containers: [
    {
      env: [
        { name: "B", valueFrom: { secretKeyRef: { name: "app-secret", key: "b" } } },
        { name: "C", value: "plain" },
      ],
      envFrom: [{ secretRef: { name: "app-secret" } }, { configMapRef: { name: "not-a-secret" } }],
    },
  ],
  volumes: [
    { name: "v", secret: { secretName: "tls" } },
    {
      name: "p",
      projected: { sources: [{ secret: { name: "projected-one" } }, { configMap: { name: "cm" } }] },
    },
  ],
  imagePullSecrets: [{ name: "registry" }],
};

describe("find consumers", () => {
  it("reads every way a pod spec references a Secret", () => {
    const refs = secretReferences(podSpec);
    expect([...refs.keys()].sort()).toEqual([
      "app-secret",
      "init-secret",
      "projected-one",
      "registry",
      "tls",
    ]);
    expect([...refs.get("app-secret")!]).toEqual(["env", "envFrom"]);
    expect([...refs.get("projected-one")!]).toEqual(["projected"]);
    expect([...refs.get("registry")!]).toEqual(["imagePullSecrets"]);
  });
  it("indexes Deployments and CronJobs by namespace and Secret name", () => {
    const deployment: KubeObject = {
      metadata: { name: "web", namespace: "shop" },
      spec: { template: { spec: podSpec } },
    };
    const cronJob: KubeObject = {
      metadata: { name: "nightly", namespace: "shop" },
      spec: {
        jobTemplate: {
          spec: { template: { spec: { containers: [{ envFrom: [{ secretRef: { name: "tls" } }] }] } } },
        },
      },
    };
    const index = indexConsumers([
      { kind: "Deployment", objects: [deployment] },
      { kind: "CronJob", objects: [cronJob] },
    ]);
    expect(findConsumers(index, "shop", "tls")).toEqual([
      { kind: "Deployment", namespace: "shop", name: "web", via: ["volume"] },
      { kind: "CronJob", namespace: "shop", name: "nightly", via: ["envFrom"] },
    ]);
    expect(findConsumers(index, "other", "tls")).toEqual([]);
  });
});
