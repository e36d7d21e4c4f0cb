import "server-only";
import type { ClusterWarning, SealingKeyInfo } from "@/lib/validations/cluster-status";
import { evaluateSealingKeyFreshness, sealingKeyBackupCommand } from "./evaluate-sealing-key-freshness";

/** What Sealdeck remembers about a cluster's controller between runs (the `Setting` table). */
export type ControllerMemory = {
  acknowledgedFingerprint: string | null;
  acknowledgedKeys: string[];
  /** Every sealing public key (SPKI SHA-256) this controller has served, for the unseal diagnosis. */
  seenPublicKeys: string[];
};

const EXPIRY_WARNING_MS = 30 * 24 * 3600_000;

/** Where the controller keeps its keys (for the backup command) and its renewal period (null: disabled). */
export type SealingKeyPolicy = { namespace: string; renewalDays: number | null };

/**
 * Warnings about a controller's certificate and keys. The first sighting becomes the baseline;
 * afterwards a different certificate, or a key nobody acknowledged backing up, is reported until
 * someone acknowledges it (the acknowledgement action needs sign-in and the audit log).
 */
export function evaluateControllerWarnings(
  cluster: string,
  memory: ControllerMemory | null,
  current: { fingerprintSha256: string; publicKeySha256: string; notAfter: Date } | null,
  keys: SealingKeyInfo[],
  now: Date,
  policy?: SealingKeyPolicy,
): { warnings: ClusterWarning[]; memory: ControllerMemory } {
  const next: ControllerMemory = memory
    ? { ...memory, seenPublicKeys: [...memory.seenPublicKeys] }
    : {
        acknowledgedFingerprint: current?.fingerprintSha256 ?? null,
        acknowledgedKeys: keys.map((k) => k.name),
        seenPublicKeys: [],
      };
  if (current && !next.seenPublicKeys.includes(current.publicKeySha256))
    next.seenPublicKeys.push(current.publicKeySha256);
  if (current && next.acknowledgedFingerprint === null)
    next.acknowledgedFingerprint = current.fingerprintSha256;
  const warnings: ClusterWarning[] = [];
  if (current && next.acknowledgedFingerprint !== current.fingerprintSha256) {
    warnings.push({
      cluster,
      code: "certificate-changed",
      message: `The sealing certificate changed since it was last seen (was ${next.acknowledgedFingerprint?.slice(0, 16)}…, now ${current.fingerprintSha256.slice(0, 16)}…). New secrets are sealed with the new key; make sure it is backed up.`,
    });
  }
  for (const key of keys) {
    if (next.acknowledgedKeys.includes(key.name)) continue;
    warnings.push({
      cluster,
      code: "new-key",
      message: `New sealing key ${key.name}${key.createdAt ? ` (created ${key.createdAt})` : ""} has not been acknowledged as backed up.${policy ? ` Back up the keys of ${policy.namespace} with kubectl on cluster ${cluster}, store the file safely (it holds private keys), then acknowledge.` : ""}`,
      ...(policy ? { command: sealingKeyBackupCommand(policy.namespace) } : {}),
    });
  }
  if (current && current.notAfter.getTime() - now.getTime() < EXPIRY_WARNING_MS) {
    const expired = current.notAfter.getTime() <= now.getTime();
    warnings.push({
      cluster,
      code: "certificate-expiring",
      message: expired
        ? `The sealing certificate expired on ${current.notAfter.toISOString()}.`
        : `The sealing certificate expires on ${current.notAfter.toISOString()}.`,
    });
  }
  if (policy) warnings.push(...evaluateSealingKeyFreshness(cluster, keys, policy.renewalDays, now).warnings);
  return { warnings, memory: next };
}
