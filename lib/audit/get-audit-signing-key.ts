import "server-only";
import { resolve } from "node:path";
import { getEnv } from "@/lib/config/env";
import { logger } from "@/lib/log/logger";
import { loadAuditSigningKey, type AuditSigningKey } from "./load-audit-signing-key";

// The app's signing key for export checkpoints and manifests: the same key the launcher signs hourly
// checkpoints with (SEALDECK_AUDIT_SIGNING_KEY or <data dir>/audit-signing-key.pem), loaded once.

const globalForKey = globalThis as unknown as { sealdeckAuditSigningKey?: AuditSigningKey };

export function getAuditSigningKey(): AuditSigningKey {
  if (globalForKey.sealdeckAuditSigningKey) return globalForKey.sealdeckAuditSigningKey;
  const env = getEnv();
  const key = loadAuditSigningKey({
    pem: env.SEALDECK_AUDIT_SIGNING_KEY,
    dataDir: resolve(env.SEALDECK_DATA_DIR),
    warn: (line) => logger.warn(line),
  });
  globalForKey.sealdeckAuditSigningKey = key;
  return key;
}
