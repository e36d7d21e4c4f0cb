import { createHmac } from "node:crypto";

/**
 * The only form in which a secret value may appear in an audit event: an HMAC-SHA-256 under a key the
 * auditor does not hold, so equal values can be recognised without the value being recoverable.
 */
export function hmacSecretValue(value: string | Uint8Array, key: Uint8Array): string {
  return `hmac-sha256:${createHmac("sha256", key).update(value).digest("hex")}`;
}
