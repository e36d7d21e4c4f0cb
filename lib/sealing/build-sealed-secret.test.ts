import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";

import { unsealWithKeys } from "@/sandbox/sealed-secrets/hybrid-decrypt";

import { buildSealedSecret } from "./build-sealed-secret";
import { formatManifest } from "./format-manifest";
import { loadSealingKey, type SealingKey } from "./import-sealing-key";
import { parseSecretManifests } from "./parse-secret-manifests";
import { encryptionLabel, scopeFromAnnotations, type SealingScope } from "./scope";
import type { SealedSecretManifest } from "./sealed-secret-manifest";
import { interopCertificatePem, interopPrivateKey } from "./testdata/interop";

let key: SealingKey;
beforeAll(async () => {
  key = await loadSealingKey(interopCertificatePem);
});

function unseal(sealed: SealedSecretManifest): Record<string, string> {
  // Label from the SealedSecret's own metadata, exactly what the controller does.
  const { name, namespace = "", annotations } = sealed.metadata;
  const label = encryptionLabel(scopeFromAnnotations(annotations), namespace, name);
  return Object.fromEntries(
    Object.entries(sealed.spec.encryptedData).map(([k, v]) => [
      k,
      unsealWithKeys([interopPrivateKey()], v, label).toString(),
    ]),
  );
}

const kubectlSecret = `
apiVersion: v1
kind: Secret
metadata:
  name: api-keys
  namespace: payments
  creationTimestamp: "2026-01-01T00:00:00Z"
  resourceVersion: "4711"
  uid: 0b0e5c5e-0000-4000-8000-000000000000
  managedFields: [{manager: kubectl}]
  ownerReferences: [{apiVersion: v1, kind: Pod, name: p, uid: u}]
  labels: {app: checkout}
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"token":"leaked"}}'
    team: payments
type: Opaque
data:
  token: c2VjcmV0LXRva2Vu
  both: ZnJvbS1kYXRh
stringData:
  both: from-stringData
  url: https://example.com
`;

describe("parseSecretManifests", () => {
  it("decodes data, lets stringData win, and keeps only portable metadata", () => {
    const [secret] = parseSecretManifests(kubectlSecret);
    expect(secret).toMatchObject({
      name: "api-keys",
      namespace: "payments",
      type: "Opaque",
      labels: { app: "checkout" },
    });
    expect(Object.keys(secret!)).not.toContain("managedFields");
    const values = Object.fromEntries(
      secret!.entries.map((e) => [
        e.key,
        typeof e.value === "string" ? e.value : new TextDecoder().decode(e.value),
      ]),
    );
    expect(values).toEqual({ token: "secret-token", both: "from-stringData", url: "https://example.com" });
  });

  it("reads several documents and JSON", () => {
    const json = JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "a", namespace: "b" },
      stringData: { k: "v" },
    });
    expect(parseSecretManifests(`${json}\n`)).toHaveLength(1);
    expect(parseSecretManifests(`${kubectlSecret}---\n---\n${kubectlSecret}`)).toHaveLength(2);
  });

  it("refuses non-Secrets, bad base64 and bad YAML without quoting values", () => {
    expect(() => parseSecretManifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")).toThrow(
      /kind/,
    );
    expect(() =>
      parseSecretManifests("apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ndata: {k: 'hunter2!'}\n"),
    ).toThrow(/^the input: data\["k"\] is not valid base64\.$/);
    const broken = "apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2\n  password: hunter3\n";
    expect(() => parseSecretManifests(broken)).toThrow(expect.objectContaining({ code: "manifest-invalid" }));
    try {
      parseSecretManifests(broken);
    } catch (error) {
      expect(String(error)).not.toMatch(/hunter/);
      expect(String(error)).toMatch(/line 5/);
    }
  });
});

describe("buildSealedSecret", () => {
  it("builds a kubeseal-shaped SealedSecret that the controller can unseal", async () => {
    const [secret] = parseSecretManifests(kubectlSecret);
    const sealed = await buildSealedSecret(secret!, key);
    expect(sealed).toEqual({
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: {
        annotations: { "sealdeck.io/sealed-with": key.certificate.publicKeySha256 },
        name: "api-keys",
        namespace: "payments",
      },
      spec: {
        encryptedData: { both: expect.any(String), token: expect.any(String), url: expect.any(String) },
        template: {
          metadata: {
            annotations: { team: "payments" },
            labels: { app: "checkout" },
            name: "api-keys",
            namespace: "payments",
          },
          type: "Opaque",
        },
      },
    });
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(["both", "token", "url"]);
    expect(unseal(sealed)).toEqual({
      token: "secret-token",
      both: "from-stringData",
      url: "https://example.com",
    });
    expect(JSON.stringify(sealed)).not.toMatch(/leaked|last-applied|4711|managedFields|ownerReferences/);
  });

  it.each<[SealingScope, Record<string, string> | undefined]>([
    ["strict", undefined],
    ["namespace-wide", { "sealedsecrets.bitnami.com/namespace-wide": "true" }],
    ["cluster-wide", { "sealedsecrets.bitnami.com/cluster-wide": "true" }],
  ])("puts the %s scope on the SealedSecret and mirrors it in the template", async (scope, expected) => {
    const sealed = await buildSealedSecret(
      {
        name: "n",
        namespace: "ns",
        annotations: { "sealedsecrets.bitnami.com/cluster-wide": "false" },
        entries: [{ key: "k", value: "v" }],
      },
      key,
      { scope },
    );
    const own = { ...sealed.metadata.annotations };
    delete own["sealdeck.io/sealed-with"];
    expect(Object.keys(own).length ? own : undefined).toEqual(expected);
    expect(sealed.spec.template.metadata.annotations).toEqual(expected);
    expect(scopeFromAnnotations(sealed.metadata.annotations)).toBe(scope);
    expect(unseal(sealed)).toEqual({ k: "v" });
  });

  it("takes the scope from the Secret's annotations by default, cluster-wide winning", async () => {
    const sealed = await buildSealedSecret(
      {
        name: "n",
        annotations: {
          "sealedsecrets.bitnami.com/cluster-wide": "true",
          "sealedsecrets.bitnami.com/namespace-wide": "true",
        },
        entries: [{ key: "k", value: "v" }],
      },
      key,
    );
    expect(sealed.metadata).toEqual({
      annotations: {
        "sealdeck.io/sealed-with": key.certificate.publicKeySha256,
        "sealedsecrets.bitnami.com/cluster-wide": "true",
      },
      name: "n",
    });
    expect(unseal(sealed)).toEqual({ k: "v" });
  });

  it("carries type and immutable, and seals binary values", async () => {
    const sealed = await buildSealedSecret(
      {
        name: "tls",
        namespace: "web",
        type: "kubernetes.io/tls",
        immutable: true,
        entries: [
          { key: "tls.crt", value: new Uint8Array([0, 255, 1]) },
          { key: "tls.key", value: "k" },
        ],
      },
      key,
    );
    expect(sealed.spec.template).toMatchObject({ type: "kubernetes.io/tls", immutable: true });
    const label = "web/tls";
    expect([...unsealWithKeys([interopPrivateKey()], sealed.spec.encryptedData["tls.crt"]!, label)]).toEqual([
      0, 255, 1,
    ]);
  });

  it("refuses an empty or invalid Secret before encrypting anything", async () => {
    await expect(buildSealedSecret({ name: "n", namespace: "ns", entries: [] }, key)).rejects.toMatchObject({
      code: "secret-empty",
    });
    const empty = await buildSealedSecret({ name: "n", namespace: "ns", entries: [] }, key, {
      allowEmptyData: true,
    });
    expect(empty.spec.encryptedData).toEqual({});
    await expect(
      buildSealedSecret({ name: "n", entries: [{ key: "k", value: "v" }] }, key),
    ).rejects.toMatchObject({
      code: "secret-invalid",
      message: expect.stringContaining("metadata.namespace"),
    });
  });
});

describe("formatManifest", () => {
  it("writes YAML without folding and JSON with 2-space indent", async () => {
    const sealed = await buildSealedSecret(
      { name: "n", namespace: "ns", entries: [{ key: "k", value: "v" }] },
      key,
      { scope: "namespace-wide" },
    );
    const yaml = formatManifest(sealed, "yaml");
    expect(yaml).toMatch(
      /^apiVersion: bitnami.com\/v1alpha1\nkind: SealedSecret\nmetadata:\n  annotations:\n/,
    );
    expect(yaml).toContain('sealedsecrets.bitnami.com/namespace-wide: "true"');
    expect(yaml).toMatch(new RegExp(`\\n    k: ${sealed.spec.encryptedData.k!.replace(/[+/]/g, "\\$&")}\\n`));
    expect(parse(yaml)).toEqual(sealed);
    const json = formatManifest(sealed, "json");
    expect(json).toBe(`${JSON.stringify(sealed, null, 2)}\n`);
    expect(formatManifest([sealed, sealed], "yaml").split("\n---\n")).toHaveLength(2);
  });
});
