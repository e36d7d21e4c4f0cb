import { generateKeyPairSync } from "node:crypto";
import type { AuditSigningKey } from "../load-audit-signing-key";
import { publicKeyId } from "../verify-checkpoint";

// Tests that sign checkpoints need a throwaway key in the shape loadAuditSigningKey returns; it is made
// fresh each time and never written anywhere.

/** A new Ed25519 audit signing key that lives only in memory. */
export function createTestSigningKey(): AuditSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: publicKeyId(publicKey),
  };
}
