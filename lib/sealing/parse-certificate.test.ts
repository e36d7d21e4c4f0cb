import { X509Certificate, createHash, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";

import { isSealingError } from "./errors";
import { loadSealingKey } from "./import-sealing-key";
import { parseCertificate } from "./parse-certificate";
import { makeTestCertificate } from "./testdata/make-test-certificate";
import { interopCertificatePem, interopPrivateKeyPem } from "./testdata/interop";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSealingError(error)) return error.code;
    throw error;
  }
  throw new Error("expected a SealingError");
}

describe("parseCertificate", () => {
  it("reads the controller certificate like OpenSSL does", async () => {
    const info = await parseCertificate(interopCertificatePem);
    const reference = new X509Certificate(interopCertificatePem);
    expect(info.subject).toBe("CN=sealed-secret, O=sealed-secret");
    expect(info.issuer).toBe(info.subject);
    expect(info.modulusBits).toBe(4096);
    expect(info.notBefore.getTime()).toBe(new Date(reference.validFrom).getTime());
    expect(info.notAfter.getTime()).toBe(new Date(reference.validTo).getTime());
    expect(info.fingerprintSha256).toBe(reference.fingerprint256.replace(/:/g, "").toLowerCase());
    expect(info.serialNumber).toBe(reference.serialNumber.toLowerCase());
    const spki = createPublicKey(interopCertificatePem).export({ format: "der", type: "spki" });
    expect(info.publicKeySha256).toBe(createHash("sha256").update(spki).digest("hex"));
    expect(Buffer.from(info.publicKeySpki).equals(spki)).toBe(true);
  });

  it("takes the first certificate of a bundle, with text around it, and DER bytes", async () => {
    const other = await makeTestCertificate({ commonName: "second" });
    const bundle = `# fetched with kubeseal\n${interopCertificatePem}${other.pem}`;
    expect((await parseCertificate(bundle)).subject).toBe("CN=sealed-secret, O=sealed-secret");
    expect((await parseCertificate(other.der)).subject).toBe("CN=second");
    expect((await parseCertificate(new TextEncoder().encode(other.pem))).subject).toBe("CN=second");
  });

  it("refuses garbage, truncated PEM and a bare public key", async () => {
    expect(await codeOf(parseCertificate("hello"))).toBe("certificate-invalid");
    expect(await codeOf(parseCertificate(""))).toBe("certificate-invalid");
    const truncated = interopCertificatePem.replace(/\n[A-Za-z0-9+/]{64}\n/, "\n");
    expect(await codeOf(parseCertificate(truncated))).toBe("certificate-invalid");
    const publicKey = createPublicKey(interopCertificatePem)
      .export({ format: "pem", type: "spki" })
      .toString();
    await expect(parseCertificate(publicKey)).rejects.toThrow(/bare public key/);
  });

  it("recognises a private key pasted by mistake, PKCS#1 or PKCS#8, even next to a certificate", async () => {
    await expect(parseCertificate(interopPrivateKeyPem)).rejects.toMatchObject({
      code: "certificate-is-private-key",
    });
    const pkcs8 = (await makeTestCertificate()).privateKeyPem;
    expect(await codeOf(parseCertificate(pkcs8))).toBe("certificate-is-private-key");
    expect(await codeOf(parseCertificate(interopCertificatePem + interopPrivateKeyPem))).toBe(
      "certificate-is-private-key",
    );
  });

  it("refuses non-RSA and small RSA keys", async () => {
    const ec = await makeTestCertificate({ kind: "ec-p256" });
    await expect(parseCertificate(ec.pem)).rejects.toMatchObject({
      code: "certificate-key-not-rsa",
      message: expect.stringContaining("ECDSA"),
    });
    const small = await makeTestCertificate({ kind: "rsa-1024" });
    await expect(parseCertificate(small.pem)).rejects.toMatchObject({
      code: "certificate-key-too-small",
      message: expect.stringContaining("1024 bits"),
    });
    expect((await parseCertificate((await makeTestCertificate({ kind: "rsa-2048" })).pem)).modulusBits).toBe(
      2048,
    );
  });

  it("refuses an expired or not-yet-valid certificate naming the dates, unless allowed", async () => {
    const expired = await makeTestCertificate({
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2021-06-30T12:00:00Z"),
    });
    await expect(parseCertificate(expired.pem)).rejects.toMatchObject({
      code: "certificate-expired",
      message: expect.stringMatching(/expired on 2021-06-30 12:00:00 UTC.*2020-01-01 00:00:00 UTC/),
    });
    expect((await parseCertificate(expired.pem, { allowExpired: true })).notAfter.toISOString()).toBe(
      "2021-06-30T12:00:00.000Z",
    );

    const future = await makeTestCertificate({
      notBefore: new Date("2099-01-01T00:00:00Z"),
      notAfter: new Date("2100-01-01T00:00:00Z"),
    });
    await expect(parseCertificate(future.pem)).rejects.toMatchObject({
      code: "certificate-not-yet-valid",
      message: expect.stringContaining("2099-01-01 00:00:00 UTC"),
    });
    expect(
      await codeOf(parseCertificate(interopCertificatePem, { now: new Date("2040-01-01T00:00:00Z") })),
    ).toBe("certificate-expired");
  });
});

describe("loadSealingKey", () => {
  it("imports an encrypt-only RSA-OAEP SHA-256 key", async () => {
    const { publicKey, certificate } = await loadSealingKey(interopCertificatePem);
    expect(publicKey.algorithm).toMatchObject({
      name: "RSA-OAEP",
      hash: { name: "SHA-256" },
      modulusLength: 4096,
    });
    expect(publicKey.usages).toEqual(["encrypt"]);
    expect(publicKey.extractable).toBe(false);
    expect(certificate.modulusBits).toBe(4096);
  });
});
