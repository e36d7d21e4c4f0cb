import "server-only";
import { KeyObject, webcrypto } from "node:crypto";
import "../../server/install-reflect-metadata";
import * as x509 from "@peculiar/x509";

export type SealingKeyPair = { certPem: string; keyPem: string };

/**
 * A controller key like sealed-secrets makes: RSA-4096, a self-signed certificate (CN and O
 * `sealed-secret`, ten years), the private key as PKCS#1 PEM as the controller stores it.
 */
export async function generateSealingKey(): Promise<SealingKeyPair> {
  const crypto = webcrypto as unknown as Crypto;
  x509.cryptoProvider.set(crypto);
  const algorithm = {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 4096,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  };
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=sealed-secret, O=sealed-secret",
    notBefore,
    notAfter: new Date(notBefore.getTime() + 10 * 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.BasicConstraintsExtension(true, undefined, true),
    ],
  });
  const keyObject = KeyObject.from(keys.privateKey);
  return {
    certPem: `${cert.toString("pem")}\n`,
    keyPem: keyObject.export({ type: "pkcs1", format: "pem" }).toString(),
  };
}
