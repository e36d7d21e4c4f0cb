import { expect, it } from "vitest";
import { findOwningApplication } from "./find-owning-application";
import type { KubeObject } from "./strip-object";

const apps: KubeObject[] = [
  {
    metadata: { name: "shop", namespace: "argocd" },
    spec: { destination: { server: "https://kubernetes.default.svc", namespace: "shop" } },
    status: { sync: { status: "Synced" }, health: { status: "Healthy" } },
  },
  {
    metadata: { name: "payments", namespace: "argocd" },
    spec: { destination: { server: "https://kubernetes.default.svc", namespace: "pay" } },
    status: { sync: { status: "OutOfSync" }, health: { status: "Degraded" } },
  },
  {
    metadata: { name: "remote", namespace: "argocd" },
    spec: { destination: { server: "https://other.example.com", namespace: "far" } },
  },
];

it("prefers Argo's tracking annotation, then the instance label, then the destination namespace", () => {
  expect(
    findOwningApplication(
      {
        metadata: {
          name: "x",
          namespace: "shop",
          annotations: { "argocd.argoproj.io/tracking-id": "payments:bitnami.com/SealedSecret:shop/x" },
        },
      },
      apps,
    ),
  ).toMatchObject({ name: "payments", matchedBy: "tracking-id", sync: "OutOfSync" });
  expect(
    findOwningApplication(
      { metadata: { name: "x", namespace: "shop", labels: { "app.kubernetes.io/instance": "payments" } } },
      apps,
    ),
  ).toMatchObject({ name: "payments", matchedBy: "instance-label" });
  expect(findOwningApplication({ metadata: { name: "x", namespace: "shop" } }, apps)).toMatchObject({
    name: "shop",
    matchedBy: "destination-namespace",
    health: "Healthy",
  });
  expect(findOwningApplication({ metadata: { name: "x", namespace: "far" } }, apps)).toBeNull();
});
