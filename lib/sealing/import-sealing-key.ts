import { SealingError } from "./errors";
import { parseCertificate, type CertificateInfo, type ParseCertificateOptions } from "./parse-certificate";

/** A controller certificate ready to seal with: its details plus the WebCrypto key. */
export type SealingKey = {
  certificate: CertificateInfo;
  /** RSA-OAEP / SHA-256 public key, usable only for `encrypt`. */
  publicKey: CryptoKey;
};

/**
 * Imports a parsed certificate's key for RSA-OAEP with SHA-256 as hash and MGF1 hash, the parameters of
 * upstream's `rsa.EncryptOAEP(sha256.New(), …)`. WebCrypto fixes the MGF1 hash to the OAEP hash, which
 * is exactly what Go does.
 *
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/crypto/crypto.go (HybridEncrypt)
 */
export async function importSealingKey(certificate: CertificateInfo): Promise<CryptoKey> {
  try {
    return await globalThis.crypto.subtle.importKey(
      "spki",
      certificate.publicKeySpki,
      { name: "RSA-OAEP", hash: "SHA-256" },
      false,
      ["encrypt"],
    );
  } catch {
    throw new SealingError(
      "certificate-invalid",
      "The certificate's RSA public key was rejected by WebCrypto.",
    );
  }
}

/** Parses a PEM (or DER) certificate and imports its key: the one call the seal form and CLI need. */
export async function loadSealingKey(
  input: string | Uint8Array,
  options: ParseCertificateOptions = {},
): Promise<SealingKey> {
  const certificate = await parseCertificate(input, options);
  return { certificate, publicKey: await importSealingKey(certificate) };
}
