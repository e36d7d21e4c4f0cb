import { createPublicKey } from "node:crypto";
import { publicKeyId, verifyCheckpointSignature, type SignedCheckpoint } from "./verify-checkpoint";

// The audit_checkpoints table is not a source of trust: the app's runtime role may append to it (export
// checkpoints), so a row proves nothing until its signature verifies with a key configured out of band
// (the server's own signing key, or the auditor's pinned public key). Shared with the CLI (no server-only).

/** Trusted Ed25519 public keys (SPKI PEM) by key id. */
export type CheckpointKeyring = ReadonlyMap<string, string>;

/** Indexes keys (SPKI PEM; a private key PEM gives its public half) by key id; throws on an unreadable one. */
export function createCheckpointKeyring(publicKeyPems: readonly string[]): CheckpointKeyring {
  const keyring = new Map<string, string>();
  for (const pem of publicKeyPems) {
    const key = createPublicKey(pem);
    keyring.set(publicKeyId(key), key.export({ type: "spki", format: "pem" }).toString());
  }
  return keyring;
}

/** True when the checkpoint is signed by one of the keyring's keys (and names that key). */
export function isTrustedCheckpoint(checkpoint: SignedCheckpoint, keyring: CheckpointKeyring): boolean {
  const pem = keyring.get(checkpoint.keyId);
  return pem !== undefined && verifyCheckpointSignature(checkpoint, pem).ok;
}
