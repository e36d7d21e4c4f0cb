import "server-only";

import { constants, createDecipheriv, privateDecrypt, type KeyObject } from "node:crypto";

const TAG_BYTES = 16;
const ZERO_NONCE = Buffer.alloc(12);

/**
 * Opens one sealed value with one controller private key, mirroring sealed-secrets' `singleDecrypt`
 * (pkg/crypto/crypto.go): split on the uint16 big-endian RSA length, RSA-OAEP-SHA256 with `label` for
 * the session key, then AES-256-GCM with a zero nonce and no AAD. Throws on any failure (short input,
 * wrong key, wrong label, tampered bytes), never returns partial plaintext.
 *
 * Node only: it lives with the tests and the sandbox controller, never in a browser bundle.
 */
export function hybridDecrypt(privateKey: KeyObject, ciphertext: Uint8Array, label: Uint8Array): Buffer {
  if (ciphertext.length < 2) throw new Error("sealed value is too short");
  const rsaLength = (ciphertext[0]! << 8) | ciphertext[1]!;
  // Upstream only checks the RSA part fits; the GCM tag must be there too or there is nothing to verify.
  if (ciphertext.length < 2 + rsaLength + TAG_BYTES) throw new Error("sealed value is too short");
  const rsa = ciphertext.subarray(2, 2 + rsaLength);
  const aes = ciphertext.subarray(2 + rsaLength);

  const sessionKey = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label },
    rsa,
  );
  try {
    if (sessionKey.length !== 32) throw new Error("session key is not 32 bytes");
    const decipher = createDecipheriv("aes-256-gcm", sessionKey, ZERO_NONCE, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(aes.subarray(aes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(aes.subarray(0, aes.length - TAG_BYTES)), decipher.final()]);
  } finally {
    sessionKey.fill(0);
  }
}

/**
 * Tries each key in turn, as the controller's `HybridDecrypt` does with all its keys (it never deletes
 * old ones), on a base64 `encryptedData` value.
 *
 * @throws Error `no key could decrypt secret`, the controller's own wording, when none succeeds.
 */
export function unsealWithKeys(keys: KeyObject[], ciphertextBase64: string, label: string): Buffer {
  const ciphertext = Buffer.from(ciphertextBase64, "base64");
  // Buffer.from silently skips invalid characters; re-encoding catches anything it dropped.
  if (ciphertext.toString("base64") !== ciphertextBase64.replace(/[\r\n]/g, "")) {
    throw new Error("sealed value is not valid base64");
  }
  const labelBytes = Buffer.from(label, "utf8");
  for (const key of keys) {
    try {
      return hybridDecrypt(key, ciphertext, labelBytes);
    } catch {
      // Try the next key: any failure means "not this key", exactly as upstream.
    }
  }
  throw new Error("no key could decrypt secret");
}
