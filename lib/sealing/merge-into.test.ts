import { parse, parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";

import { unsealWithKeys } from "@/sandbox/sealed-secrets/hybrid-decrypt";

import { buildSealedSecret } from "./build-sealed-secret";
import { findMergeTarget } from "./find-merge-target";
import { formatManifest } from "./format-manifest";
import { loadSealingKey, type SealingKey } from "./import-sealing-key";
import { mergeInto } from "./merge-into";
import type { SealingScope } from "./scope";
import { REENCRYPTION_ANNOTATION, formatReencryptionMarker } from "./reencryption-marker";
import { SEALED_WITH_ANNOTATION, type SealedSecretManifest } from "./sealed-secret-manifest";
import { interopCertificatePem, interopPrivateKey } from "./testdata/interop";

let key: SealingKey;
beforeAll(async () => {
  key = await loadSealingKey(interopCertificatePem);
});

const OLD_A = "AgBoldValueForA+/==";
const OLD_B = "AgBoldValueForB";

// A file as people keep them in Git: comments everywhere, mixed quoting, several documents.
const FILE = `# Payments secrets — managed by Sealdeck
---
apiVersion: v1
kind: ConfigMap # not a secret
metadata:
  name: settings
  namespace: payments
data:
  mode: "live"   # keep quoted
---
# the sealed one
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: api-keys
  namespace: payments
  annotations:
    owner: team-payments   # who to ask
spec:
  encryptedData:
    # rotated 2026-01
    A: "${OLD_A}"
    B: ${OLD_B} # legacy
  template:
    metadata:
      name: api-keys
      namespace: payments
    type: Opaque
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: other, namespace: payments}
spec:
  encryptedData: {X: 'AgBx'}
...
`;

async function seal(
  entries: Record<string, string>,
  target: { name?: string; namespace?: string; scope?: SealingScope } = {},
) {
  return buildSealedSecret(
    {
      name: target.name ?? "api-keys",
      namespace: target.namespace ?? "payments",
      entries: Object.entries(entries).map(([k, value]) => ({ key: k, value })),
    },
    key,
    { scope: target.scope ?? "strict" },
  );
}

describe("mergeInto", () => {
  it("replaces and appends values, leaving every other byte identical", async () => {
    const update = await seal({ A: "new-a", C: "new-c", true: "needs quoting" });
    const merged = mergeInto(FILE, update);
    const { A, C } = update.spec.encryptedData;
    const quotedKey = update.spec.encryptedData["true"];
    const hash = key.certificate.publicKeySha256;
    const expected = FILE.replace(`A: "${OLD_A}"`, `A: "${A}"`)
      .replace(
        `    B: ${OLD_B} # legacy\n`,
        `    B: ${OLD_B} # legacy\n    C: ${C}\n    "true": ${quotedKey}\n`,
      )
      .replace(
        "    owner: team-payments   # who to ask\n",
        `    owner: team-payments   # who to ask\n    sealdeck.io/sealed-with: ${hash}\n`,
      );
    expect(merged).toBe(expected);

    // The controller's view: label from the existing object, every value unseals.
    const sealed = parseAllDocuments(merged)[1]!.toJS() as SealedSecretManifest;
    expect(
      unsealWithKeys([interopPrivateKey()], sealed.spec.encryptedData.A!, "payments/api-keys").toString(),
    ).toBe("new-a");
    expect(
      unsealWithKeys([interopPrivateKey()], sealed.spec.encryptedData.C!, "payments/api-keys").toString(),
    ).toBe("new-c");
    expect(sealed.spec.encryptedData.B).toBe(OLD_B);
  });

  it("updates an existing sealed-with annotation in place and is stable when merged twice", async () => {
    const first = mergeInto(FILE, await seal({ A: "1" }));
    const update = await seal({ A: "2" });
    const second = mergeInto(first, update);
    expect(second.split("\n").filter((l) => l.includes("sealdeck.io/sealed-with"))).toHaveLength(1);
    expect(second.replace(/A: "[^"]+"/, "A")).toBe(first.replace(/A: "[^"]+"/, "A"));
  });

  it("adds metadata.annotations when the object has none, with the file's indentation", async () => {
    const file =
      "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n    name: n\n    namespace: ns\nspec:\n    encryptedData:\n        k: AgB\n";
    const merged = mergeInto(file, await seal({ k: "v" }, { name: "n", namespace: "ns" }));
    expect(merged).toMatch(
      /^apiVersion: bitnami.com\/v1alpha1\nkind: SealedSecret\nmetadata:\n    annotations:\n        sealdeck.io\/sealed-with: [0-9a-f]{64}\n    name: n\n/,
    );
    expect(parse(merged).spec.encryptedData.k).not.toBe("AgB");
  });

  it("writes a re-encryption marker next to sealed-with, and a later seal leaves it as it is", async () => {
    const file =
      "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: n\n  namespace: ns\nspec:\n  encryptedData:\n    k: AgB\n";
    const reencrypted = await seal({ k: "v" }, { name: "n", namespace: "ns" });
    const to = reencrypted.metadata.annotations![SEALED_WITH_ANNOTATION]!;
    const marker = formatReencryptionMarker({
      from: null,
      to,
      sha256: { k: "a".repeat(64) },
    });
    reencrypted.metadata.annotations![REENCRYPTION_ANNOTATION] = marker;
    const merged = mergeInto(file, reencrypted);
    expect(parse(merged).metadata.annotations).toEqual({
      [SEALED_WITH_ANNOTATION]: to,
      [REENCRYPTION_ANNOTATION]: marker,
    });
    expect(merged).toMatch(
      /^apiVersion: bitnami.com\/v1alpha1\nkind: SealedSecret\nmetadata:\n  annotations:\n    /,
    );
    const later = mergeInto(merged, await seal({ k: "w" }, { name: "n", namespace: "ns" }));
    expect(parse(later).metadata.annotations[REENCRYPTION_ANNOTATION]).toBe(marker);
  });

  it("merges into the kubeseal --format json layout, keeping it JSON", async () => {
    const original = formatManifest(await seal({ a: "1" }, { scope: "namespace-wide" }), "json");
    const update = await seal({ a: "2", b: "3" }, { scope: "namespace-wide" });
    const merged = mergeInto(original, update);
    const value = JSON.parse(merged) as SealedSecretManifest;
    expect(value.spec.encryptedData).toEqual(update.spec.encryptedData);
    expect(merged).toContain(`",\n      "b": "${update.spec.encryptedData.b}"\n    },`);
    expect(unsealWithKeys([interopPrivateKey()], value.spec.encryptedData.b!, "payments").toString()).toBe(
      "3",
    );
  });

  it("keeps CRLF line endings", async () => {
    const crlf = FILE.replace(/\n/g, "\r\n");
    const merged = mergeInto(crlf, await seal({ Z: "z" }));
    expect(merged.replace(/\r\n/g, "")).not.toContain("\n");
    expect(parseAllDocuments(merged)[1]!.toJS().spec.encryptedData.Z).toBeDefined();
  });

  it("finds the target among several SealedSecrets by name", async () => {
    const update = await seal({ Y: "y" }, { name: "other" });
    const merged = mergeInto(FILE, update);
    expect(merged).toContain(`encryptedData: {X: 'AgBx', "Y": "${update.spec.encryptedData.Y}"}`);
    expect(merged).toContain(
      `metadata: {"annotations": {"sealdeck.io/sealed-with": "${key.certificate.publicKeySha256}"}, name: other`,
    );
    expect(findMergeTarget(FILE, { name: "other" })).toMatchObject({
      documentIndex: 2,
      scope: "strict",
      keys: ["X"],
    });
  });
});

describe("mergeInto refuses", () => {
  const single =
    'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  annotations:\n    sealedsecrets.bitnami.com/namespace-wide: "true"\n  name: n\n  namespace: ns\nspec:\n  encryptedData:\n    k: AgB\n';

  it("a different name or namespace", async () => {
    await expect(async () =>
      mergeInto(single, await seal({ k: "v" }, { name: "m", namespace: "ns", scope: "namespace-wide" })),
    ).rejects.toMatchObject({
      code: "merge-mismatch",
      message: expect.stringContaining("different name"),
    });
    await expect(async () =>
      mergeInto(single, await seal({ k: "v" }, { name: "n", namespace: "other", scope: "namespace-wide" })),
    ).rejects.toMatchObject({
      code: "merge-mismatch",
      message: expect.stringContaining("different namespace"),
    });
  });

  it("a different scope", async () => {
    await expect(async () =>
      mergeInto(single, await seal({ k: "v" }, { name: "n", namespace: "ns", scope: "strict" })),
    ).rejects.toMatchObject({
      code: "merge-mismatch",
      message:
        "The existing SealedSecret is namespace-wide but the values were sealed strict; refusing to merge.",
    });
  });

  it("a name not in a file of several, a file with none, and invalid YAML", async () => {
    const update = await seal({ k: "v" }, { name: "missing" });
    expect(() => mergeInto(FILE, update)).toThrow(
      /No SealedSecret payments\/missing in the file \(it holds payments\/api-keys, payments\/other\)/,
    );
    expect(() => mergeInto("apiVersion: v1\nkind: ConfigMap\n", update)).toThrow(
      expect.objectContaining({ code: "merge-target-not-found" }),
    );
    expect(() => mergeInto("a: [\n", update)).toThrow(expect.objectContaining({ code: "manifest-invalid" }));
  });

  it("values it cannot rewrite in place", async () => {
    const aliased =
      "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: api-keys, namespace: payments}\nspec:\n  encryptedData:\n    A: &x AgB\n    B: *x\n";
    expect(() =>
      mergeInto(aliased, { ...emptyUpdate(), spec: { ...emptyUpdate().spec, encryptedData: { B: "AgC" } } }),
    ).toThrow(expect.objectContaining({ code: "manifest-invalid" }));
  });
});

function emptyUpdate(): SealedSecretManifest {
  return {
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: { name: "api-keys", namespace: "payments" },
    spec: {
      encryptedData: {},
      template: { metadata: { name: "api-keys", namespace: "payments" }, type: "Opaque" },
    },
  };
}
