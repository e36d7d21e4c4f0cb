import "server-only";
import { getEnv } from "@/lib/config/env";
import { getAuditSigningKey } from "./get-audit-signing-key";

/**
 * The keys whose checkpoints the app believes: its own signing key's public half, plus the earlier
 * keys listed in SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS.
 */
export function getTrustedAuditPublicKeys(): string[] {
  return [getAuditSigningKey().publicKeyPem, ...(getEnv().SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS ?? [])];
}
