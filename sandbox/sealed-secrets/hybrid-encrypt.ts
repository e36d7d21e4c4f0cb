import "server-only";
import { constants, createCipheriv, publicEncrypt, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";

/**
 * Seals one value the way kubeseal does (uint16 BE RSA length ‖ RSA-OAEP-SHA256(label)(session key) ‖
 * AES-256-GCM(zero nonce)(plaintext) ‖ tag), for the controller's /v1/rotate and the generated estate.
 * Node-only counterpart of lib/sealing's browser implementation.
 */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Uint8Array, label: Uint8Array): Buffer {
  const sessionKey = randomBytes(32);
  const rsa = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label },
    sessionKey,
  );
  const cipher = createCipheriv("aes-256-gcm", sessionKey, Buffer.alloc(12), { authTagLength: 16 });
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsa.length);
  sessionKey.fill(0);
  return Buffer.concat([length, rsa, sealed]);
}
