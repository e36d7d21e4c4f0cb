"use client";

import Link from "next/link";
import type { CampaignSecretState, RecoveryCampaignView } from "@/lib/validations/recovery";
import { rotateHref } from "@/lib/validations/seal-form";

const cell = "px-2 py-1.5 text-left align-top";
const STATE_LABEL: Record<CampaignSecretState, string> = {
  waiting: "Waiting for its owner",
  proposed: "Pull request open",
  merged: "Merged, not yet unsealed",
  healthy: "Healthy",
};

/** One re-seal campaign: per secret, proposed → merged → healthy, with "Re-seal" and the CSV export. */
export function CampaignProgress({ campaign }: { campaign: RecoveryCampaignView }) {
  return (
    <section
      aria-label={`Re-seal campaign on ${campaign.cluster}`}
      className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-base font-semibold">
          Re-seal campaign on {campaign.cluster}: {campaign.healthy} of {campaign.total} healthy
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
        last secret unsealed.
      </p>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-xs text-zinc-600 dark:text-zinc-400">
            <tr>
              <th className={cell}>SealedSecret</th>
              <th className={cell}>Owner</th>
              <th className={cell}>Keys</th>
              <th className={cell}>Progress</th>
              <th className={cell}>
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {campaign.secrets.map((secret) => (
              <tr
                key={`${secret.namespace}/${secret.name}`}
                className="border-t border-zinc-200 dark:border-zinc-800"
              >
                <td className={cell}>
                  {secret.namespace}/{secret.name}
                </td>
                <td className={cell}>{secret.owner ?? "unknown"}</td>
                <td className={cell}>{secret.keys.join(", ")}</td>
                <td className={cell} data-state={secret.state}>
                  {secret.pullRequestUrl ? (
                    <a className="underline" href={secret.pullRequestUrl}>
                      {STATE_LABEL[secret.state]}
                    </a>
                  ) : (
                    STATE_LABEL[secret.state]
                  )}
                </td>
                <td className={cell}>
                  {secret.state !== "healthy" && !campaign.closedAt && (
                    <Link
                      className="font-medium underline"
                      href={rotateHref({
                        clusters: [campaign.cluster],
                        namespace: secret.namespace,
                        name: secret.name,
                        keys: secret.keys,
                      })}
                      aria-label={`Re-seal ${secret.namespace}/${secret.name}`}
                    >
                      Re-seal
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
