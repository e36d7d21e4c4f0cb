import { describe, expect, it } from "vitest";

import { adoptableManifest } from "./adoptable-manifest";

// A SealedSecret as the API server returns it: what its author wrote, plus what the cluster and the
// tools that applied it added. Ciphertext-shaped fake values only.
const live = {
  apiVersion: "bitnami.com/v1alpha1",
  kind: "SealedSecret",
  metadata: {
    name: "orders-db",
    namespace: "shop",
    uid: "6f1c2c9e-0000-4000-8000-000000000001",
    resourceVersion: "4711",
    generation: 3,
    creationTimestamp: "2026-01-02T03:04:05Z",
    labels: { "sealdeck.io/owner": "payments" },
    annotations: {
      "sealedsecrets.bitnami.com/namespace-wide": "true",
      "kubectl.kubernetes.io/last-applied-configuration": '{"kind":"SealedSecret"}',
      "argocd.argoproj.io/tracking-id": "shop:bitnami.com/SealedSecret:shop/orders-db",
    },
    managedFields: [{ manager: "kubectl", operation: "Apply" }],
    ownerReferences: [{ kind: "Application", name: "shop" }],
  },
  spec: {
    encryptedData: { username: "AgBUSER==", password: "AgBPASS==" },
    template: {
      metadata: { name: "orders-db", namespace: "shop", labels: { app: "orders" } },
      type: "kubernetes.io/basic-auth",
    },
  },
  status: { conditions: [{ type: "Synced", status: "True" }], observedGeneration: 3 },
};

describe("adoptableManifest", () => {
  it("keeps what the author wrote and the ciphertext, drops what the cluster and tools added", () => {
    expect(adoptableManifest(live, { namespace: "shop", name: "orders-db" })).toEqual({
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: {
        annotations: { "sealedsecrets.bitnami.com/namespace-wide": "true" },
        labels: { "sealdeck.io/owner": "payments" },
        name: "orders-db",
        namespace: "shop",
      },
      spec: {
        encryptedData: { password: "AgBPASS==", username: "AgBUSER==" },
        template: {
          metadata: { labels: { app: "orders" }, name: "orders-db", namespace: "shop" },
          type: "kubernetes.io/basic-auth",
        },
      },
    });
  });

  it("never adopts a Secret, another object, or one it would have to copy readable data from", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: live.metadata,
      data: { password: "cGFzcw==" },
    };
    expect(() => adoptableManifest(secret, { namespace: "shop", name: "orders-db" })).toThrow(
      /not a bitnami.com\/v1alpha1 SealedSecret/,
    );
    expect(() => adoptableManifest(live, { namespace: "shop", name: "other" })).toThrow(/not shop\/other/);
    const withTemplateData = {
      ...live,
      spec: {
        ...live.spec,
        template: { ...live.spec.template, data: { url: "postgres://{{ .username }}" } },
      },
    };
    expect(() => adoptableManifest(withTemplateData, { namespace: "shop", name: "orders-db" })).toThrow(
      /template has data fields/,
    );
    const legacy = { ...live, spec: { data: "AgBLOB==" } };
    expect(() => adoptableManifest(legacy, { namespace: "shop", name: "orders-db" })).toThrow(
      /deprecated single spec.data/,
    );
    const plaintext = { ...live, spec: { ...live.spec, encryptedData: { password: "not ciphertext!" } } };
    expect(() => adoptableManifest(plaintext, { namespace: "shop", name: "orders-db" })).toThrow(
      /value of password is not base64 ciphertext/,
    );
    const empty = { ...live, spec: { ...live.spec, encryptedData: {} } };
    expect(() => adoptableManifest(empty, { namespace: "shop", name: "orders-db" })).toThrow(
      /no encryptedData/,
    );
  });

  it("names the refusal without quoting any value", () => {
    const plaintext = {
      ...live,
      spec: { ...live.spec, encryptedData: { password: "hunter2 is my password" } },
    };
    try {
      adoptableManifest(plaintext, { namespace: "shop", name: "orders-db" });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
  });
});
