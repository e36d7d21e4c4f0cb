import "server-only";
import type { CampaignSecretProgress, CampaignSecretState } from "@/lib/validations/recovery";
import { type SecretRecord, secretRecordId } from "@/lib/validations/secret-record";
import { isRemoved, type RemovedCheck } from "./removed-from-cluster";

export type CampaignSecretRow = {
  namespace: string;
  name: string;
  keys: string[];
  owner: string | null;
  ownerSource: string | null;
  /** Since when closer passes have found its SealedSecret gone from the cluster (see `removed`). */
  absentSince?: Date | null;
};

export type CampaignProposal = {
  namespace: string;
  name: string;
  clusters: string[];
  state: string;
  url: string;
  createdAt: Date;
};

/**
 * Each campaign secret's progress: healthy once the cluster reports it unsealed (whatever brought that
 * about: a merged re-seal or a restored backup), removed once its SealedSecret has been gone from a synced
 * cluster for a while (deleted from Git: nothing is left to re-seal; see `removed`), else merged / proposed from the newest pull request
 * Sealdeck opened for it on this cluster since the campaign started, else waiting for its owner.
 */
export function deriveCampaignProgress(
  campaign: { cluster: string; startedAt: Date },
  secrets: readonly CampaignSecretRow[],
  proposals: readonly CampaignProposal[],
  recordOf: (id: string) => SecretRecord | undefined,
  /** Absent: nothing counts as removed (callers without a live inventory). */
  removed?: RemovedCheck,
): CampaignSecretProgress[] {
  return secrets.map(({ absentSince, ...secret }) => {
    const record = recordOf(secretRecordId(campaign.cluster, secret.namespace, "SealedSecret", secret.name));
    const newest = proposals
      .filter(
        (p) =>
          p.namespace === secret.namespace &&
          p.name === secret.name &&
          p.clusters.includes(campaign.cluster) &&
          p.createdAt >= campaign.startedAt &&
          p.state !== "closed",
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    const healthy = record?.health.status === "Healthy" && record.staleSince === null;
    const state: CampaignSecretState = healthy
      ? "healthy"
      : !record && isRemoved(removed, campaign.cluster, { ...secret, absentSince })
        ? "removed"
        : newest?.state === "merged"
          ? "merged"
          : newest
            ? "proposed"
            : "waiting";
    return { ...secret, state, pullRequestUrl: newest?.url ?? null };
  });
}
