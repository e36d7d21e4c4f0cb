import { generateKeyPairSync } from "node:crypto";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

import { encryptionLabel, scopeFromAnnotations } from "@/lib/sealing/scope";
import { interopExpected, interopPrivateKey, interopSealedSecretsYaml } from "@/lib/sealing/testdata/interop";

import { hybridDecrypt, unsealWithKeys } from "./hybrid-decrypt";

type Sealed = {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: { encryptedData: Record<string, string> };
};

// The vectors were written by upstream's Go HybridEncrypt: decrypting them proves format compatibility,
// which round trips through our own encryptor cannot.
const vectors = parseAllDocuments(interopSealedSecretsYaml).flatMap((document) => {
  const sealed = document.toJS() as Sealed;
  const { name, namespace, annotations } = sealed.metadata;
  const label = encryptionLabel(scopeFromAnnotations(annotations), namespace, name);
  return Object.entries(sealed.spec.encryptedData).map(([key, ciphertext]) => ({
    id: `${namespace}/${name}/${key}`,
    label,
    ciphertext,
  }));
});

describe("upstream interop vectors", () => {
  it("cover every expected item, in all three scopes", () => {
    expect(vectors.map((v) => v.id).sort()).toEqual(Object.keys(interopExpected).sort());
    expect(
      new Set(vectors.map((v) => (v.label === "" ? "cluster" : v.label.includes("/") ? "strict" : "ns"))),
    ).toEqual(new Set(["cluster", "strict", "ns"]));
  });

  it.each(vectors)("decrypts $id", ({ id, label, ciphertext }) => {
    expect(unsealWithKeys([interopPrivateKey()], ciphertext, label).toString("utf8")).toBe(
      interopExpected[id],
    );
  });

  it.each(vectors)("refuses $id under another scope's label", ({ label, ciphertext }) => {
    const wrong = label === "" ? "development" : "";
    expect(() => unsealWithKeys([interopPrivateKey()], ciphertext, wrong)).toThrow(
      "no key could decrypt secret",
    );
  });
});

describe("unsealWithKeys", () => {
  const vector = vectors[0]!;

  it("tries every key, like the controller keeping its old keys", () => {
    const { privateKey: other } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(unsealWithKeys([other, interopPrivateKey()], vector.ciphertext, vector.label).toString()).toBe(
      interopExpected[vector.id],
    );
    expect(() => unsealWithKeys([other], vector.ciphertext, vector.label)).toThrow(
      "no key could decrypt secret",
    );
    expect(() => unsealWithKeys([], vector.ciphertext, vector.label)).toThrow("no key could decrypt secret");
  });

  it("rejects malformed base64 instead of decrypting what Buffer salvages", () => {
    expect(() =>
      unsealWithKeys(
        [interopPrivateKey()],
        `${vector.ciphertext.slice(0, 40)}!!${vector.ciphertext.slice(40)}`,
        vector.label,
      ),
    ).toThrow("not valid base64");
  });

  it("rejects inputs shorter than the length prefix says", () => {
    expect(() => hybridDecrypt(interopPrivateKey(), new Uint8Array([2]), new Uint8Array())).toThrow(
      "too short",
    );
    expect(() =>
      hybridDecrypt(interopPrivateKey(), new Uint8Array([2, 0, 1, 2, 3]), new Uint8Array()),
    ).toThrow("too short");
  });
});
