import { describe, expect, it } from "vitest";
import { ciphertextHash, parseGitManifestKeys } from "./parse-git-manifest-keys";
import { sealedSecretYaml } from "./testing/git-history-fixture";

describe("parseGitManifestKeys", () => {
  it("lists every key of every SealedSecret of a multi-document file, hashed, never the ciphertext", () => {
    const content = [
      sealedSecretYaml("payments", "db", { password: "AgA1", username: "AgU1" }),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: payments\n",
      sealedSecretYaml("shop", "api", { token: "AgT1" }, { templateOnly: true }),
    ].join("---\n");
    const parsed = parseGitManifestKeys(content);
    expect(parsed).toEqual({
      ok: true,
      unattributed: 0,
      keys: [
        { namespace: "payments", name: "db", key: "password", valueHash: ciphertextHash("AgA1") },
        { namespace: "payments", name: "db", key: "username", valueHash: ciphertextHash("AgU1") },
        { namespace: "shop", name: "api", key: "token", valueHash: ciphertextHash("AgT1") },
      ],
    });
    expect(JSON.stringify(parsed)).not.toMatch(/AgA1|AgU1|AgT1/);
  });

  it("reads List items and JSON, counts SealedSecrets without a namespace, ignores other kinds", () => {
    const list = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          apiVersion: "bitnami.com/v1alpha1",
          kind: "SealedSecret",
          metadata: { name: "a", namespace: "n" },
          spec: { encryptedData: { k: "AgK" } },
        },
        {
          apiVersion: "bitnami.com/v1alpha1",
          kind: "SealedSecret",
          metadata: { name: "b" },
          spec: { encryptedData: { k: "AgK" } },
        },
        {
          apiVersion: "example.com/v1",
          kind: "SealedSecret",
          metadata: { name: "c", namespace: "n" },
          spec: { encryptedData: { k: "AgK" } },
        },
      ],
    });
    expect(parseGitManifestKeys(list)).toEqual({
      ok: true,
      unattributed: 1,
      keys: [{ namespace: "n", name: "a", key: "k", valueHash: ciphertextHash("AgK") }],
    });
  });

  it("says when a file does not parse, without quoting it", () => {
    const parsed = parseGitManifestKeys(
      "kind: SealedSecret\nspec: [unclosed\n  encryptedData: {k: AgSECRET}\n",
    );
    expect(parsed).toEqual({ ok: false });
  });
});
