import "server-only";
import type { ClusterWarning, SealingKeyInfo } from "@/lib/validations/cluster-status";
import { SEALING_KEY_LABEL } from "./list-sealing-keys";

const DAY_MS = 24 * 3600_000;
/** Upstream's `--key-renew-period` default (30 days). */
export const DEFAULT_KEY_RENEWAL_DAYS = 30;
/** A renewal a day late is still on time: the controller renews on its own clock, from its start. */
export const KEY_RENEWAL_GRACE_MS = DAY_MS;
/** More old keys than this (a year of monthly renewals) suggests nothing is re-encrypted away. */
export const MAX_OLD_SEALING_KEYS = 12;

/** The renewal period in effect: the cluster's setting (0 = renewal disabled), else upstream's default. */
export function effectiveKeyRenewalDays(setting: number | null | undefined): number | null {
  if (setting === null || setting === undefined) return DEFAULT_KEY_RENEWAL_DAYS;
  return setting === 0 ? null : setting;
}

/** The upstream-documented backup of every sealing key of a controller (public and private keys). */
export function sealingKeyBackupCommand(namespace: string): string {
  return `kubectl get secret -n ${namespace} -l ${SEALING_KEY_LABEL} -o yaml >main.key`;
}

export type SealingKeyFreshness = {
  /** The renewal period in days; null when renewal is disabled. */
  renewalDays: number | null;
  newest: SealingKeyInfo | null;
  newestAgeMs: number | null;
  /** When the controller should add its next key; null when disabled or the newest key's date is unknown. */
  nextRenewalAt: Date | null;
  overdue: boolean;
  /** Keys other than the newest: still kept (never deleted) to unseal what they sealed. */
  oldKeys: number;
  warnings: ClusterWarning[];
};

const newestOf = (keys: readonly SealingKeyInfo[]) =>
  keys.reduce<SealingKeyInfo | null>(
    (best, key) => (best === null || (key.createdAt ?? "") > (best.createdAt ?? "") ? key : best),
    null,
  );

/**
 * How fresh a controller's sealing keys are: the newest key's age against the renewal period (plus a
 * day of grace), and how many old keys pile up because SealedSecrets are never re-encrypted.
 */
export function evaluateSealingKeyFreshness(
  cluster: string,
  keys: readonly SealingKeyInfo[],
  renewalDays: number | null,
  now: Date,
): SealingKeyFreshness {
  const newest = newestOf(keys);
  const created = newest?.createdAt ? Date.parse(newest.createdAt) : Number.NaN;
  const known = Number.isFinite(created);
  const newestAgeMs = known ? Math.max(0, now.getTime() - created) : null;
  const nextRenewalAt = known && renewalDays !== null ? new Date(created + renewalDays * DAY_MS) : null;
  const overdue = nextRenewalAt !== null && now.getTime() > nextRenewalAt.getTime() + KEY_RENEWAL_GRACE_MS;
  const oldKeys = Math.max(0, keys.length - 1);
  const warnings: ClusterWarning[] = [];
  if (overdue && newest && newestAgeMs !== null) {
    warnings.push({
      cluster,
      code: "key-renewal-overdue",
      message: `The newest sealing key ${newest.name} is ${Math.floor(newestAgeMs / DAY_MS)} days old, but the controller renews its key every ${renewalDays} days: renewal seems stopped (controller down, or --key-renew-period changed). Check the controller, or set this cluster's renewal period in Settings → Clusters.`,
    });
  }
  if (oldKeys > MAX_OLD_SEALING_KEYS) {
    warnings.push({
      cluster,
      code: "keys-piling-up",
      message: `${oldKeys} old sealing keys are kept (more than ${MAX_OLD_SEALING_KEYS}): the controller never deletes a key, and SealedSecrets keep needing the key that sealed them. Re-encrypting them with the newest key (kubeseal --re-encrypt, or the controller's /v1/rotate) lets the old keys be retired, after a backup.`,
    });
  }
  return { renewalDays, newest, newestAgeMs, nextRenewalAt, overdue, oldKeys, warnings };
}
