import { SealingError } from "./errors";

/** AES-256: upstream's `sessionKeyBytes`. */
const SESSION_KEY_BYTES = 32;
/**
 * GCM's standard nonce size. All zero is safe here, as upstream notes, because every session key
 * encrypts exactly one message.
 */
const ZERO_NONCE = new Uint8Array(12);

/**
 * Encrypts `plaintext` exactly as sealed-secrets' `HybridEncrypt`, so the controller's `HybridDecrypt`
 * opens it:
 *
 * ```text
 * uint16 big-endian len(rsa) ‖ rsa = RSA-OAEP-SHA256(session key, label) ‖ AES-256-GCM(plaintext) ‖ tag(16)
 * ```
 *
 * with a fresh random 32-byte session key, a 12-byte all-zero nonce and no additional data.
 *
 * @param publicKey RSA-OAEP key with hash SHA-256 (see `importSealingKey`).
 * @param label the scope's OAEP label (see `encryptionLabel`), UTF-8 encoded.
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/crypto/crypto.go
 */
export async function hybridEncrypt(
  publicKey: CryptoKey,
  plaintext: Uint8Array,
  label: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const algorithm = publicKey.algorithm as Partial<RsaHashedKeyAlgorithm>;
  if (algorithm.name !== "RSA-OAEP" || algorithm.hash?.name !== "SHA-256" || publicKey.type !== "public") {
    // Another hash would produce ciphertext the controller cannot open, silently; refuse it here.
    throw new SealingError(
      "encryption-failed",
      "The sealing key must be an RSA-OAEP public key with SHA-256.",
    );
  }
  const subtle = globalThis.crypto.subtle;
  const sessionKey = globalThis.crypto.getRandomValues(new Uint8Array(SESSION_KEY_BYTES));
  try {
    const aesKey = await subtle.importKey("raw", sessionKey, { name: "AES-GCM" }, false, ["encrypt"]);
    const [rsa, aes] = await Promise.all([
      subtle.encrypt({ name: "RSA-OAEP", label: plainBytes(label) }, publicKey, sessionKey),
      subtle.encrypt({ name: "AES-GCM", iv: ZERO_NONCE, tagLength: 128 }, aesKey, plainBytes(plaintext)),
    ]);
    if (rsa.byteLength > 0xffff) {
      throw new SealingError("encryption-failed", "The RSA key is too large for the sealed-secrets format.");
    }
    const out = new Uint8Array(2 + rsa.byteLength + aes.byteLength);
    out[0] = rsa.byteLength >>> 8;
    out[1] = rsa.byteLength & 0xff;
    out.set(new Uint8Array(rsa), 2);
    out.set(new Uint8Array(aes), 2 + rsa.byteLength);
    return out;
  } catch (error) {
    if (error instanceof SealingError) throw error;
    throw new SealingError("encryption-failed", `Encryption failed in WebCrypto (${errorName(error)}).`);
  } finally {
    // Best effort: the raw session key should not outlive the call in this buffer.
    sessionKey.fill(0);
  }
}

/** WebCrypto takes `BufferSource`, which excludes views over a SharedArrayBuffer; copy only in that case. */
function plainBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown error";
}
