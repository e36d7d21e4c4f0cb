import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { encodeFields } from "./canonical-encoding";

// Signed checkpoints of the audit chain's head, checked offline by the CLI (no server-only here).

export const CHECKPOINT_ENCODING_TAG = "sealdeck.audit.checkpoint.v1";

/**
 * A checkpoint as exports carry it. `hash` is hex; `prevSignature` and `signature` are base64;
 * `headTime` and `createdAt` are `YYYY-MM-DDTHH:mm:ss.sssZ`; `publicKey` is SPKI PEM and `keyId` the
 * hex SHA-256 of its DER.
 */
export type SignedCheckpoint = {
  seq: string;
  hash: string;
  headTime: string | null;
  createdAt: string;
  prevSignature: string | null;
  signature: string;
  keyId: string;
  publicKey: string;
};

/**
 * The bytes an Ed25519 checkpoint signature covers: {@link encodeFields} of the tag, the head's seq,
 * hash (hex) and time, the checkpoint's own time, the previous checkpoint's signature (base64, NULL for
 * the first) and the key id. Chaining the previous signature means a checkpoint cannot be dropped or
 * replaced without breaking every later one.
 */
export function encodeCheckpoint(checkpoint: Omit<SignedCheckpoint, "signature" | "publicKey">): Buffer {
  return encodeFields([
    CHECKPOINT_ENCODING_TAG,
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.headTime,
    checkpoint.createdAt,
    checkpoint.prevSignature,
    checkpoint.keyId,
  ]);
}

/** Hex SHA-256 of a public key's SPKI DER: how a signing key is named. */
export function publicKeyId(key: KeyObject): string {
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex");
}

export type CheckpointSignatureCheck = { ok: boolean; pinned: boolean; keyId: string; reason?: string };

/**
 * Verifies a checkpoint's Ed25519 signature. With `trustedPublicKeyPem` the checkpoint must have been
 * signed by that key (`pinned`); without it, only by the key the checkpoint itself names, which proves
 * integrity but not origin.
 */
export function verifyCheckpointSignature(
  checkpoint: SignedCheckpoint,
  trustedPublicKeyPem?: string,
): CheckpointSignatureCheck {
  let key: KeyObject;
  try {
    key = createPublicKey(trustedPublicKeyPem ?? checkpoint.publicKey);
  } catch {
    return {
      ok: false,
      pinned: trustedPublicKeyPem !== undefined,
      keyId: checkpoint.keyId,
      reason: "the public key cannot be read",
    };
  }
  const pinned = trustedPublicKeyPem !== undefined;
  const keyId = publicKeyId(key);
  if (key.asymmetricKeyType !== "ed25519")
    return { ok: false, pinned, keyId, reason: "the public key is not Ed25519" };
  if (keyId !== checkpoint.keyId) {
    return {
      ok: false,
      pinned,
      keyId,
      reason: `the checkpoint was signed by key ${checkpoint.keyId.slice(0, 16)}…, not ${keyId.slice(0, 16)}…`,
    };
  }
  const valid = verify(null, encodeCheckpoint(checkpoint), key, Buffer.from(checkpoint.signature, "base64"));
  return valid
    ? { ok: true, pinned, keyId }
    : { ok: false, pinned, keyId, reason: "the checkpoint signature does not verify" };
}
