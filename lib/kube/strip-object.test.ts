import { expect, it } from "vitest";
import { secretMetadataOnly, shrinkSealedSecret, stripObject } from "./strip-object";

it("drops managedFields and last-applied-configuration at the border", () => {
  const stripped = stripObject({
    metadata: {
      name: "a",
      managedFields: [{ manager: "kubectl" }],
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", keep: "yes" },
    },
    spec: {},
  });
  expect(stripped.metadata).toEqual({ name: "a", annotations: { keep: "yes" } });
});

it("reduces a Secret to metadata even if a server ignored the Accept header", () => {
  const secret = {
    metadata: { name: "s", namespace: "n" },
    data: { password: "c2VjcmV0" },
    stringData: { x: "y" },
    type: "Opaque",
  };
  expect(secretMetadataOnly(secret)).toEqual({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s", namespace: "n" },
  });
});

it("keeps only the start of each SealedSecret ciphertext (key names and RSA block size)", () => {
  const shrunk = shrinkSealedSecret({
    metadata: { name: "s" },
    spec: { encryptedData: { A: "AgBxyz0123456789abcdef" }, template: { type: "Opaque" } },
  });
  expect(shrunk.spec).toEqual({ encryptedData: { A: "AgBxyz01" }, template: { type: "Opaque" } });
});
