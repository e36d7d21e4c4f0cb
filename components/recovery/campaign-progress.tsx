"use client";

import type { CampaignSecretState, RecoveryCampaignView } from "@/lib/validations/recovery";
import { ReSealTable } from "./re-seal-table";

const STATE_LABEL: Record<CampaignSecretState, string> = {
  waiting: "Waiting for its owner",
  proposed: "Pull request open",
  merged: "Merged, not yet unsealed",
  healthy: "Healthy",
  removed: "Removed from the cluster (deleted from Git)",
};

/** One re-seal campaign: per secret, proposed → merged → healthy (or removed), with "Re-seal" and the CSV export. */
export function CampaignProgress({ campaign }: { campaign: RecoveryCampaignView }) {
  return (
    <section
      aria-label={`Re-seal campaign on ${campaign.cluster}`}
      className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-base font-semibold">
          Re-seal campaign on {campaign.cluster}: {campaign.healthy} of {campaign.total} healthy
          {campaign.removed > 0 ? `, ${campaign.removed} removed` : ""}
          {campaign.closedAt ? ` (closed ${campaign.closedAt})` : ""}
        </h3>
        <a
          className="text-sm font-medium underline"
          href={`/api/recovery/campaigns/${campaign.id}/export`}
          download
        >
          Export CSV
        </a>
      </div>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Started by {campaign.startedBy} at {campaign.startedAt}. It closes itself when the cluster reports the
        last secret unsealed (or gone from it: deleted from Git).
      </p>
      <ReSealTable
        cluster={campaign.cluster}
        campaign={campaign.id}
        detailHeading="Progress"
        rows={campaign.secrets.map((secret) => ({
          key: `${secret.namespace}/${secret.name}`,
          namespace: secret.namespace,
          name: secret.name,
          owner: secret.owner,
          keys: secret.keys,
          state: secret.state,
          detail: secret.pullRequestUrl ? (
            <a className="underline" href={secret.pullRequestUrl}>
              {STATE_LABEL[secret.state]}
            </a>
          ) : (
            STATE_LABEL[secret.state]
          ),
          reSeal: secret.state !== "healthy" && secret.state !== "removed" && !campaign.closedAt,
        }))}
      />
    </section>
  );
}
