import { describe, expect, it } from "vitest";
import { normalizeSealedSecret, readSealingScope } from "./normalize-sealed-secret";
import type { KubeObject } from "./strip-object";

// "Ag" = 0x02 0x00: a 512-byte RSA block (4096-bit key); "AQ" = 0x01 0x00: 256 bytes (2048-bit).
const sealed: KubeObject = {
  apiVersion: "bitnami.com/v1alpha1",
  kind: "SealedSecret",
  metadata: { name: "api", namespace: "shop", annotations: { "sealdeck.io/sealed-with": "ab".repeat(32) } },
  spec: {
    encryptedData: { B_KEY: "AgBxyz==", A_KEY: "AQBxyz==" },
    template: { metadata: { name: "api-old", namespace: "shop" }, type: "kubernetes.io/basic-auth" },
  },
  status: {
    conditions: [
      {
        type: "Synced",
        status: "False",
        message: "no key could decrypt secret (A_KEY)",
        lastUpdateTime: "2026-01-01T00:00:00Z",
      },
    ],
  },
};

describe("normalizeSealedSecret", () => {
  it("keeps key names, never values, and reads scope, template and the sealing key", () => {
    const n = normalizeSealedSecret(sealed, { namespace: "kube-system", name: "sealed-secrets-controller" });
    expect(n.keys).toEqual(["A_KEY", "B_KEY"]);
    expect(n.scope).toBe("strict");
    expect(n.type).toBe("kubernetes.io/basic-auth");
    expect(n.source).toEqual({
      kind: "sealed-secrets",
      controller: { namespace: "kube-system", name: "sealed-secrets-controller" },
      sealedWith: "ab".repeat(32),
      templateName: "api-old",
      templateNamespace: null,
    });
    expect(n.targetName).toBe("api");
    expect(n.rsaBlockBytes.sort()).toEqual([256, 512]);
    expect(n.conditions).toEqual([
      {
        type: "Synced",
        status: "False",
        reason: null,
        message: "no key could decrypt secret (A_KEY)",
        lastTransitionTime: "2026-01-01T00:00:00Z",
      },
    ]);
    expect(JSON.stringify(n)).not.toContain("AgBxyz");
  });
  it("reads the scope from the object's own annotations; cluster-wide wins", () => {
    expect(readSealingScope(undefined)).toBe("strict");
    expect(readSealingScope({ "sealedsecrets.bitnami.com/namespace-wide": "true" })).toBe("namespace-wide");
    expect(
      readSealingScope({
        "sealedsecrets.bitnami.com/namespace-wide": "true",
        "sealedsecrets.bitnami.com/cluster-wide": "true",
      }),
    ).toBe("cluster-wide");
  });
});
