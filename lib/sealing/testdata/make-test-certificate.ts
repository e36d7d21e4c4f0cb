// Test-only: builds throwaway X.509 certificates with WebCrypto and the ASN.1 schemas, so tests can
// cover expiry, key types and sizes without committing keys. Signatures are real but never checked.
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";

export type TestKeyKind = "rsa-2048" | "rsa-1024" | "rsa-3072" | "ec-p256";

export type TestCertificate = {
  pem: string;
  der: Uint8Array<ArrayBuffer>;
  /** PKCS#8 PEM of the certificate's private key, for decrypting in tests. */
  privateKeyPem: string;
};

const DAY = 24 * 60 * 60 * 1000;

export async function makeTestCertificate(
  options: { kind?: TestKeyKind; notBefore?: Date; notAfter?: Date; commonName?: string } = {},
): Promise<TestCertificate> {
  const kind = options.kind ?? "rsa-2048";
  const subtle = globalThis.crypto.subtle;
  const algorithm =
    kind === "ec-p256"
      ? { name: "ECDSA", namedCurve: "P-256" }
      : {
          name: "RSASSA-PKCS1-v1_5",
          modulusLength: Number(kind.slice(4)),
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: "SHA-256",
        };
  const keys = (await subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const spki = AsnConvert.parse(await subtle.exportKey("spki", keys.publicKey), SubjectPublicKeyInfo);
  const name = new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({
        type: "2.5.4.3",
        value: new AttributeValue({ utf8String: options.commonName ?? "sealed-secret" }),
      }),
    ]),
  ]);
  const signatureAlgorithm = new AlgorithmIdentifier({
    algorithm: kind === "ec-p256" ? "1.2.840.10045.4.3.2" : "1.2.840.113549.1.1.11",
    ...(kind === "ec-p256" ? {} : { parameters: null }),
  });
  const now = Date.now();
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: globalThis.crypto.getRandomValues(new Uint8Array(16)).map((b, i) => (i === 0 ? b & 0x7f : b)).buffer,
    signature: signatureAlgorithm,
    issuer: name,
    subject: name,
    validity: new Validity({
      notBefore: options.notBefore ?? new Date(now - DAY),
      notAfter: options.notAfter ?? new Date(now + 3650 * DAY),
    }),
    subjectPublicKeyInfo: spki,
  });
  const tbsDer = AsnConvert.serialize(tbs);
  const signature = await subtle.sign(
    kind === "ec-p256" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" },
    keys.privateKey,
    tbsDer,
  );
  const der = new Uint8Array(
    AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm, signatureValue: signature })),
  );
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", keys.privateKey));
  return { pem: toPem("CERTIFICATE", der), der, privateKeyPem: toPem("PRIVATE KEY", pkcs8) };
}

function toPem(label: string, der: Uint8Array): string {
  const base64 = btoa(String.fromCharCode(...der));
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
