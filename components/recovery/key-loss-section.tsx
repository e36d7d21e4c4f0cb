"use client";

import { CommandBlock } from "@/components/ui/command-block";
import { Notice } from "@/components/ui/notice";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { useRecoveryIncidents } from "@/lib/queries/use-recovery-incidents";
import type { KeyLossIncident, RecoveryCampaignView } from "@/lib/validations/recovery";
import { CampaignProgress } from "./campaign-progress";
import { ReSealTable } from "./re-seal-table";
import { RestoreCheck } from "./restore-check";
import { StartCampaignButton } from "./start-campaign-button";

function KeyLossIncidentCard({
  incident,
  campaign,
}: {
  incident: KeyLossIncident;
  campaign: RecoveryCampaignView | undefined;
}) {
  const missing = incident.missingKeys.flatMap((k) => (k.publicKeySha256 ? [k.publicKeySha256] : []));
  return (
    <section
      aria-label={`Lost sealing key on ${incident.cluster}`}
      className="rounded-lg border border-red-300 bg-white p-5 dark:border-red-900 dark:bg-zinc-900"
    >
      <h3 className="text-base font-semibold">
        Cluster {incident.cluster}: {incident.secrets.length} SealedSecret
        {incident.secrets.length === 1 ? "" : "s"} cannot be unsealed
      </h3>
      <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
        The sealing key{incident.missingKeys.length === 1 ? "" : "s"} they were sealed with{" "}
        {incident.missingKeys.length === 1 ? "is" : "are"} not among the controller&apos;s keys (
        {incident.currentKeyNames.join(", ") || "none"}). {incident.workloadCount} workload
        {incident.workloadCount === 1 ? "" : "s"} consume them.
        {incident.since ? ` Failing since ${incident.since}.` : ""}
      </p>
      <ul className="mt-2 list-disc pl-5 text-sm" aria-label="Missing keys">
        {incident.missingKeys.map((key) => (
          <li key={key.publicKeySha256 ?? key.description}>
            {key.description} ({key.secretCount} SealedSecret{key.secretCount === 1 ? "" : "s"})
          </li>
        ))}
      </ul>

      <h4 className="mt-4 text-sm font-semibold">1. First choice: restore the key backup</h4>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        With the backup taken as upstream documents it (
        <code>kubectl get secret -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml</code>), saved as
        sealed-secrets-key-backup.yaml:
      </p>
      {incident.restoreCommands.map((command) => (
        <CommandBlock key={command} command={command} />
      ))}
      <RestoreCheck
        cluster={incident.cluster}
        keys={{
          missing,
          previous: incident.previousKeys,
          current: incident.currentKey?.publicKeySha256 ?? null,
        }}
      />

      <h4 className="mt-4 text-sm font-semibold">2. Otherwise: seal every affected secret again</h4>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Sealdeck never had the values: each owner enters them in the seal form, which seals them with the
        cluster&apos;s current certificate and opens a pull request.
      </p>
      {campaign ? (
        <p className="mt-1 text-sm">
          A re-seal campaign is open ({campaign.healthy} of {campaign.total} healthy): its progress is below.
        </p>
      ) : (
        <StartCampaignButton cluster={incident.cluster} />
      )}
      <ReSealTable
        cluster={incident.cluster}
        detailHeading="Workloads"
        rows={incident.secrets.map((secret) => ({
          key: secret.id,
          namespace: secret.namespace,
          name: secret.name,
          owner: secret.owner?.team ?? null,
          keys: secret.keys,
          detail: secret.consumers.map((c) => `${c.kind}/${c.name}`).join(", ") || "none",
          reSeal: true,
        }))}
      />
    </section>
  );
}

/** Lost or replaced sealing keys: one incident per cluster, restore first, re-seal otherwise. */
export function KeyLossSection() {
  const query = useRecoveryIncidents();
  const incidents = query.data?.incidents.filter((i) => i.kind === "key-loss") ?? [];
  const campaigns = query.data?.campaigns ?? [];
  return (
    <section aria-labelledby="key-loss-heading" className="space-y-3">
      <h2 id="key-loss-heading" className="text-lg font-semibold">
        Lost sealing keys
      </h2>
      {query.isPending ? (
        <p role="status" className="text-sm">
          Loading incidents…
        </p>
      ) : query.isError ? (
        <QueryErrorNotice
          title="Incidents could not be loaded"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : incidents.length === 0 ? (
        <Notice title="No lost sealing key">
          Every SealedSecret you can see opens with a key its controller holds.
        </Notice>
      ) : (
        incidents.map((incident) => (
          <KeyLossIncidentCard
            key={incident.id}
            incident={incident}
            campaign={campaigns.find((c) => c.cluster === incident.cluster && c.closedAt === null)}
          />
        ))
      )}
      {campaigns.length > 0 && (
        <>
          <h2 className="pt-4 text-lg font-semibold">Re-seal campaigns</h2>
          {campaigns.map((campaign) => (
            <CampaignProgress key={campaign.id} campaign={campaign} />
          ))}
        </>
      )}
    </section>
  );
}
