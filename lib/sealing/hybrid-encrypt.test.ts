import { createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";

import { hybridDecrypt, unsealWithKeys } from "@/sandbox/sealed-secrets/hybrid-decrypt";

import { decodeBase64 } from "./decode-base64";
import { hybridEncrypt } from "./hybrid-encrypt";
import { loadSealingKey, type SealingKey } from "./import-sealing-key";
import { encryptionLabel, SEALING_SCOPES } from "./scope";
import { sealValue } from "./seal-value";
import { interopCertificatePem, interopPrivateKey } from "./testdata/interop";

const utf8 = new TextEncoder();
const MiB = 1024 * 1024;

let key: SealingKey;
beforeAll(async () => {
  key = await loadSealingKey(interopCertificatePem);
});

describe("hybridEncrypt", () => {
  it("writes uint16 BE len(rsa) ‖ rsa ‖ aes-gcm with a 16-byte tag", async () => {
    const plaintext = utf8.encode("hello");
    const out = await hybridEncrypt(key.publicKey, plaintext, utf8.encode("ns/name"));
    // RSA-4096: 512-byte RSA block.
    expect((out[0]! << 8) | out[1]!).toBe(512);
    expect(out.length).toBe(2 + 512 + plaintext.length + 16);
  });

  it("uses a fresh session key every time", async () => {
    const label = utf8.encode("ns/name");
    const a = await hybridEncrypt(key.publicKey, utf8.encode("same"), label);
    const b = await hybridEncrypt(key.publicKey, utf8.encode("same"), label);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    // Same plaintext, zero nonce: equal AES parts would mean a reused session key.
    expect(Buffer.from(a.subarray(514)).equals(Buffer.from(b.subarray(514)))).toBe(false);
  });

  it("refuses a key imported with another OAEP hash", async () => {
    const sha1 = await crypto.subtle.importKey(
      "spki",
      key.certificate.publicKeySpki,
      { name: "RSA-OAEP", hash: "SHA-1" },
      false,
      ["encrypt"],
    );
    await expect(hybridEncrypt(sha1, utf8.encode("x"), utf8.encode(""))).rejects.toMatchObject({
      code: "encryption-failed",
    });
  });
});

describe("round trips through the sandbox decryptor", () => {
  const sizes = [0, 1, 15, 16, 17, 1000, 64 * 1024, MiB];
  for (const scope of SEALING_SCOPES) {
    it(`binary values from 0 B to 1 MiB, ${scope}`, async () => {
      const privateKey = interopPrivateKey();
      const label = encryptionLabel(scope, "payments", "stripe-keys");
      for (const size of sizes) {
        const value = randomBytes(size);
        const sealed = await sealValue(key.publicKey, value, {
          scope,
          namespace: "payments",
          name: "stripe-keys",
        });
        expect(unsealWithKeys([privateKey], sealed, label).equals(value), `size ${size}`).toBe(true);
      }
    });
  }

  it("UTF-8 strings (multi-byte, emoji, NUL, newlines) round-trip exactly", async () => {
    const privateKey = interopPrivateKey();
    for (const value of [
      "",
      "plain",
      "ünïcödé ✓ 日本語 🔐",
      "line1\nline2\r\n",
      "a\u0000b",
      "é".repeat(300_000),
    ]) {
      const sealed = await sealValue(key.publicKey, value, { scope: "strict", namespace: "ns", name: "n" });
      expect(unsealWithKeys([privateKey], sealed, "ns/n").toString("utf8")).toBe(value);
    }
  });
});

describe("tampering and misuse fail to decrypt", () => {
  const value = utf8.encode("sk_live_do_not_leak");
  let ciphertext: Uint8Array;
  beforeAll(async () => {
    ciphertext = await hybridEncrypt(key.publicKey, value, utf8.encode("prod/api"));
  });

  it("decrypts untouched (control)", () => {
    expect(hybridDecrypt(interopPrivateKey(), ciphertext, utf8.encode("prod/api")).toString()).toBe(
      "sk_live_do_not_leak",
    );
  });

  it.each([
    ["another name", "prod/other"],
    ["namespace-wide label", "prod"],
    ["cluster-wide label", ""],
    ["another namespace", "staging/api"],
  ])("wrong label: %s", (_, label) => {
    expect(() => hybridDecrypt(interopPrivateKey(), ciphertext, utf8.encode(label))).toThrow();
  });

  it("wrong key", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(() => hybridDecrypt(privateKey, ciphertext, utf8.encode("prod/api"))).toThrow();
    expect(() =>
      unsealWithKeys([privateKey], Buffer.from(ciphertext).toString("base64"), "prod/api"),
    ).toThrow("no key could decrypt secret");
  });

  it.each([0, 1, 2, 100, 514, 514 + 16, 0.5])("truncated blob (%s)", (cut) => {
    const length = cut < 1 ? Math.floor(ciphertext.length * cut) : cut;
    expect(() =>
      hybridDecrypt(interopPrivateKey(), ciphertext.subarray(0, length), utf8.encode("prod/api")),
    ).toThrow();
    // Losing only the last byte (part of the tag) must fail too.
    expect(() =>
      hybridDecrypt(
        interopPrivateKey(),
        ciphertext.subarray(0, ciphertext.length - 1),
        utf8.encode("prod/api"),
      ),
    ).toThrow();
  });

  it.each([
    ["length prefix", 1],
    ["RSA block", 2 + 100],
    ["AES ciphertext", 2 + 512 + 3],
    ["GCM tag", 2 + 512 + 19 + 5],
  ])("one flipped byte in the %s", (_, offset) => {
    const tampered = new Uint8Array(ciphertext);
    tampered[offset]! ^= 0x01;
    expect(() => hybridDecrypt(interopPrivateKey(), tampered, utf8.encode("prod/api"))).toThrow();
  });

  it("every single flipped bit position in the AES part fails (sampled)", () => {
    const privateKey = createPrivateKey(interopPrivateKey().export({ format: "pem", type: "pkcs8" }));
    for (let offset = 514; offset < ciphertext.length; offset += 3) {
      const tampered = new Uint8Array(ciphertext);
      tampered[offset]! ^= 0x80;
      expect(
        () => hybridDecrypt(privateKey, tampered, utf8.encode("prod/api")),
        `offset ${offset}`,
      ).toThrow();
    }
  });

  it("base64 output is standard and padded", async () => {
    for (const size of [0, 1, 2, 3]) {
      const sealed = await sealValue(key.publicKey, new Uint8Array(size), {
        scope: "cluster-wide",
        namespace: "",
        name: "",
      });
      expect(sealed).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(sealed.length % 4).toBe(0);
      expect(decodeBase64(sealed)?.length).toBe(2 + 512 + size + 16);
    }
  });
});
