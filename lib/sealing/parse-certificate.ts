import { AsnConvert } from "@peculiar/asn1-schema";
import { RSAPublicKey } from "@peculiar/asn1-rsa";
import { Certificate, type Name } from "@peculiar/asn1-x509";

import { decodeBase64 } from "./decode-base64";
import { SealingError } from "./errors";
import { sha256Hex, toHex } from "./to-hex";

/** What the seal form shows about the controller's certificate before anything is sealed with it. */
export type CertificateInfo = {
  /** Distinguished name in certificate order, e.g. `CN=sealed-secret, O=sealed-secret`. */
  subject: string;
  issuer: string;
  /** Serial number, lowercase hex. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the certificate's DER, lowercase hex (what `openssl x509 -fingerprint -sha256` shows). */
  fingerprintSha256: string;
  /**
   * SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex. It identifies the sealing key across
   * certificate renewals that keep the key, and is what `sealdeck.io/sealed-with` records.
   */
  publicKeySha256: string;
  /** RSA modulus size in bits. */
  modulusBits: number;
  /** DER SubjectPublicKeyInfo, ready for `crypto.subtle.importKey("spki", …)`. */
  publicKeySpki: Uint8Array<ArrayBuffer>;
};

export type ParseCertificateOptions = {
  /**
   * Seal with a certificate outside its validity period. kubeseal refuses an expired certificate
   * (`ParseKey` in pkg/kubeseal/kubeseal.go) although the controller keeps old keys; an operator who
   * knows the key is still active may override.
   */
  allowExpired?: boolean;
  /** The clock, for tests. */
  now?: Date;
};

/** Upstream's controller keys are RSA-4096; below 2048 bits is not a key anyone should seal with. */
export const MIN_RSA_BITS = 2048;

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const KEY_ALGORITHMS: Record<string, string> = {
  "1.2.840.10045.2.1": "ECDSA",
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448",
  "1.2.840.113549.1.1.10": "RSASSA-PSS",
  "1.2.840.10040.4.1": "DSA",
};
const NAME_ATTRIBUTES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.5": "SERIALNUMBER",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
};

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;
const PRIVATE_KEY_BLOCK = /-----BEGIN (?:RSA |EC |DSA |ENCRYPTED |OPENSSH )?PRIVATE KEY-----/;

/**
 * Parses the sealed-secrets controller's certificate (the first one of a PEM bundle, like kubeseal's
 * `ParseKey`, or DER bytes) and checks it can seal: an RSA key of at least 2048 bits, within its
 * validity period unless `allowExpired`.
 *
 * Uses the ASN.1 schemas under `@peculiar/x509` directly: the `X509Certificate` facade needs a global
 * `Reflect.getMetadata` polyfill, which a browser bundle should not have to install for one parse.
 *
 * @throws SealingError `certificate-is-private-key`, `certificate-invalid`, `certificate-key-not-rsa`,
 *   `certificate-key-too-small`, `certificate-expired` or `certificate-not-yet-valid`.
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/kubeseal/kubeseal.go (ParseKey)
 */
export async function parseCertificate(
  input: string | Uint8Array,
  options: ParseCertificateOptions = {},
): Promise<CertificateInfo> {
  const der = certificateDer(input);
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(der, Certificate);
  } catch {
    throw new SealingError(
      "certificate-invalid",
      "This is not a valid X.509 certificate: its DER content could not be parsed.",
    );
  }
  const tbs = certificate.tbsCertificate;
  const keyInfo = tbs.subjectPublicKeyInfo;

  const keyAlgorithm = keyInfo.algorithm.algorithm;
  if (keyAlgorithm !== RSA_ENCRYPTION) {
    const name = KEY_ALGORITHMS[keyAlgorithm] ?? `OID ${keyAlgorithm}`;
    throw new SealingError(
      "certificate-key-not-rsa",
      `The certificate holds a ${name} key; sealed-secrets seals with RSA-OAEP and needs an RSA key.`,
    );
  }
  let modulusBits: number;
  try {
    modulusBits = bitLength(new Uint8Array(AsnConvert.parse(keyInfo.subjectPublicKey, RSAPublicKey).modulus));
  } catch {
    throw new SealingError("certificate-invalid", "The certificate's RSA public key could not be parsed.");
  }
  if (modulusBits < MIN_RSA_BITS) {
    throw new SealingError(
      "certificate-key-too-small",
      `The certificate's RSA key is ${modulusBits} bits; at least ${MIN_RSA_BITS} bits are required.`,
    );
  }

  const notBefore = tbs.validity.notBefore.getTime();
  const notAfter = tbs.validity.notAfter.getTime();
  const now = options.now ?? new Date();
  if (!options.allowExpired) {
    const period = `valid from ${formatDate(notBefore)} to ${formatDate(notAfter)}`;
    if (now.getTime() > notAfter.getTime()) {
      throw new SealingError(
        "certificate-expired",
        `The certificate expired on ${formatDate(notAfter)} (${period}). Fetch the controller's current certificate.`,
      );
    }
    if (now.getTime() < notBefore.getTime()) {
      throw new SealingError(
        "certificate-not-yet-valid",
        `The certificate is not valid before ${formatDate(notBefore)} (${period}). Check the clock or the certificate.`,
      );
    }
  }

  const spki = new Uint8Array(AsnConvert.serialize(keyInfo));
  return {
    subject: formatName(tbs.subject),
    issuer: formatName(tbs.issuer),
    serialNumber: serialHex(new Uint8Array(tbs.serialNumber)),
    notBefore,
    notAfter,
    fingerprintSha256: await sha256Hex(der),
    publicKeySha256: await sha256Hex(spki),
    modulusBits,
    publicKeySpki: spki,
  };
}

function certificateDer(input: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const text =
    typeof input === "string" ? input : looksLikeText(input) ? new TextDecoder().decode(input) : null;
  if (text === null) return new Uint8Array(input as Uint8Array); // DER bytes, copied into a plain ArrayBuffer
  // Checked first: a pasted private key must never be mistaken for "garbage" and silently retried.
  if (PRIVATE_KEY_BLOCK.test(text)) {
    throw new SealingError(
      "certificate-is-private-key",
      "This is a private key, not a certificate. Paste the controller's public certificate " +
        "(kubeseal --fetch-cert) and treat the private key you pasted as exposed.",
    );
  }
  const block = CERTIFICATE_BLOCK.exec(text);
  if (!block) {
    const hint = text.includes("-----BEGIN PUBLIC KEY-----")
      ? " This is a bare public key; sealing needs the certificate (kubeseal --fetch-cert)."
      : "";
    throw new SealingError(
      "certificate-invalid",
      `No PEM certificate (-----BEGIN CERTIFICATE-----) was found.${hint}`,
    );
  }
  const der = decodeBase64(block[1]!);
  if (!der || der.length === 0) {
    throw new SealingError("certificate-invalid", "The PEM certificate block is not valid base64.");
  }
  return new Uint8Array(der);
}

function looksLikeText(bytes: Uint8Array): boolean {
  // DER certificates start with a SEQUENCE tag (0x30); PEM starts with text, usually "-----".
  return bytes.length > 0 && bytes[0] !== 0x30;
}

function bitLength(bigEndian: Uint8Array): number {
  let i = 0;
  while (i < bigEndian.length && bigEndian[i] === 0) i++;
  if (i === bigEndian.length) return 0;
  return (bigEndian.length - i - 1) * 8 + (32 - Math.clz32(bigEndian[i]!));
}

function formatName(name: Name): string {
  return name
    .map((rdn) =>
      rdn
        .map((attribute) => {
          const type = NAME_ATTRIBUTES[attribute.type] ?? attribute.type;
          const value = attribute.value.toString().replace(/([,+"\\<>;])/g, "\\$1");
          return `${type}=${value}`;
        })
        .join("+"),
    )
    .join(", ");
}

function serialHex(bytes: Uint8Array): string {
  let i = 0;
  // DER INTEGERs carry a leading zero byte when the high bit is set; it is not part of the serial.
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return toHex(bytes.subarray(i));
}

function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
