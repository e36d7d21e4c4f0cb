// Test-only: the published sealed-secrets interop vectors (see interop/README.md), read from the
// project's own copy so a fresh clone can run the tests.
import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("./interop/", import.meta.url));

export const interopCertificatePem = readFileSync(`${dir}tls.crt`, "utf8");
export const interopPrivateKeyPem = readFileSync(`${dir}tls.key`, "utf8");
export const interopSealedSecretsYaml = readFileSync(`${dir}sealed-secrets.yaml`, "utf8");
export const interopExpected = JSON.parse(readFileSync(`${dir}expected.json`, "utf8")) as Record<string, string>;

export function interopPrivateKey(): KeyObject {
  return createPrivateKey(interopPrivateKeyPem);
}
