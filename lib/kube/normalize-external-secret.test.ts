import { describe, expect, it } from "vitest";
import {
  indexStores,
  normalizeClusterExternalSecret,
  normalizeExternalSecret,
} from "./normalize-external-secret";
import type { KubeObject } from "./strip-object";

const stores = indexStores(
  [
    {
      metadata: { name: "vault", namespace: "shop" },
      spec: { provider: { vault: {} } },
      status: { conditions: [{ type: "Ready", status: "False", message: "bad token" }] },
    },
  ],
  [
    {
      metadata: { name: "shared" },
      spec: { provider: { fake: {} } },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    },
  ],
);

describe("normalizeExternalSecret", () => {
  it("reads store, provider, remote keys, refresh settings and key names", () => {
    const es: KubeObject = {
      metadata: { name: "db", namespace: "shop" },
      spec: {
        refreshInterval: "15m",
        secretStoreRef: { name: "vault" },
        target: { name: "db-secret", template: { type: "Opaque", data: { URL: "{{ .host }}" } } },
        data: [{ secretKey: "PASSWORD", remoteRef: { key: "/db", property: "password" } }],
        dataFrom: [{ extract: { key: "/db" } }, { find: { name: { regexp: "^db-" } } }],
      },
      status: { refreshTime: "2026-01-01T00:00:00Z" },
    };
    const n = normalizeExternalSecret(es, stores);
    expect(n.keys).toEqual(["PASSWORD", "URL"]);
    expect(n.targetName).toBe("db-secret");
    expect(n.source).toEqual({
      kind: "external-secrets",
      store: { kind: "SecretStore", name: "vault" },
      provider: "vault",
      storeReady: false,
      remoteKeys: ["/db", "find: ^db-"],
      refreshInterval: "15m",
      refreshPolicy: "Periodic",
      refreshTime: "2026-01-01T00:00:00Z",
    });
  });
  it("defaults: target named after the ExternalSecret, refresh 1h Periodic, Owner creation", () => {
    const n = normalizeExternalSecret(
      {
        metadata: { name: "x", namespace: "shop" },
        spec: { secretStoreRef: { name: "shared", kind: "ClusterSecretStore" } },
      },
      stores,
    );
    expect(n).toMatchObject({
      targetName: "x",
      expectsTarget: true,
      source: { provider: "fake", storeReady: true, refreshInterval: "1h", refreshPolicy: "Periodic" },
    });
    expect(
      normalizeExternalSecret(
        { metadata: { name: "y", namespace: "shop" }, spec: { target: { creationPolicy: "None" } } },
        stores,
      ).expectsTarget,
    ).toBe(false);
  });
  it("ClusterExternalSecret: the stamped spec and where it was provisioned", () => {
    const n = normalizeClusterExternalSecret(
      {
        metadata: { name: "pull" },
        spec: {
          externalSecretName: "pull-secret",
          externalSecretSpec: { secretStoreRef: { name: "shared", kind: "ClusterSecretStore" } },
        },
        status: { provisionedNamespaces: ["a", "b"], failedNamespaces: [{ namespace: "c", reason: "x" }] },
      },
      stores,
    );
    expect(n).toMatchObject({
      namespace: null,
      targetName: "pull-secret",
      source: { provisionedNamespaces: ["a", "b"], failedNamespaces: ["c"], provider: "fake" },
    });
  });
});
