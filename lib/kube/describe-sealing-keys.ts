import "server-only";
import type { SealingKeyInfo } from "@/lib/validations/cluster-status";
import { effectiveKeyRenewalDays, evaluateSealingKeyFreshness } from "./evaluate-sealing-key-freshness";

export type SealingKeysView = {
  keys: SealingKeyInfo[];
  /** Name of the newest key: the one new secrets are sealed with. */
  newest: string | null;
  /** Days between renewals; null when renewal is disabled in this cluster's settings. */
  renewalDays: number | null;
  /** True when no renewal period is set for the cluster (upstream's default applies). */
  renewalIsDefault: boolean;
  nextRenewalAt: string | null;
  overdue: boolean;
  /** The time ages are counted from (the page's render time). */
  now: string;
};

/** What Settings → Clusters shows about a controller's keys, from their metadata and the cluster's setting. */
export function describeSealingKeys(
  cluster: string,
  keys: SealingKeyInfo[],
  renewalSetting: number | null,
  now: Date,
): SealingKeysView {
  const freshness = evaluateSealingKeyFreshness(cluster, keys, effectiveKeyRenewalDays(renewalSetting), now);
  return {
    keys,
    newest: freshness.newest?.name ?? null,
    renewalDays: freshness.renewalDays,
    renewalIsDefault: renewalSetting === null,
    nextRenewalAt: freshness.nextRenewalAt?.toISOString() ?? null,
    overdue: freshness.overdue,
    now: now.toISOString(),
  };
}
