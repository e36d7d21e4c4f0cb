import Link from "next/link";
import { ClusterBadge } from "@/components/secrets/cluster-badge";
import { HealthBadge } from "@/components/secrets/health-badge";
import { secretHref } from "@/components/secrets/secret-href";
import { AcknowledgeKeyBackupButton } from "@/components/settings/acknowledge-key-backup-button";
import { Card } from "@/components/ui/card";
import type { InventorySummary } from "@/lib/kube/summarize-inventory";
import { controllerLabel } from "@/lib/validations/cluster-status";
import { healthStatuses, secretKinds } from "@/lib/validations/secret-record";
import { CommandBlock } from "@/components/ui/command-block";

const kindLabels = {
  SealedSecret: "SealedSecrets",
  ExternalSecret: "ExternalSecrets",
  ClusterExternalSecret: "ClusterExternalSecrets",
} as const;

/** The Overview's inventory cards: totals, failing items first, clusters and their warnings. */
export function InventoryOverview({
  summary,
  canAcknowledge = false,
}: {
  summary: InventorySummary;
  /** Security leads: a button next to key backup warnings (Settings has the same). */
  canAcknowledge?: boolean;
}) {
  if (summary.clusters.length === 0) {
    return (
      <Card title="Secret inventory">
        <p className="text-sm font-medium">No clusters configured.</p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Sealdeck reads the contexts of <code>KUBECONFIG</code> (or <code>~/.kube/config</code>), or the
          in-cluster service account. Start it with <code>npm run dev</code> to get the sandbox cluster, or
          point <code>KUBECONFIG</code> at your clusters.
        </p>
      </Card>
    );
  }
  return (
    <>
      <Card title="Secret inventory">
        {/* Columns by the card's width, not the window's: four fixed columns made "ClusterExternalSecrets"
            overlap its neighbour and push the page sideways at 1024 px. */}
        <dl className="grid grid-cols-[repeat(auto-fit,minmax(8.75rem,1fr))] gap-4">
          <div>
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">All secrets</dt>
            <dd className="text-2xl font-semibold">{summary.total}</dd>
          </div>
          {secretKinds.map((kind) => (
            <div key={kind}>
              <dt className="text-xs [overflow-wrap:anywhere] text-zinc-500 dark:text-zinc-400">
                {kindLabels[kind]}
              </dt>
              <dd className="text-2xl font-semibold">
                <Link className="hover:underline" href={`/secrets?kind=${kind}`}>
                  {summary.byKind[kind]}
                </Link>
              </dd>
            </div>
          ))}
        </dl>
        <ul className="mt-4 flex flex-wrap gap-3" aria-label="By health">
          {healthStatuses.map((status) => (
            <li key={status}>
              <Link
                href={`/secrets?health=${status}`}
                className="inline-flex items-center gap-2 text-sm hover:underline"
              >
                <HealthBadge status={status} /> {summary.byHealth[status]}
              </Link>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={`Needs attention (${summary.failingTotal})`}>
        {summary.failing.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Every secret is healthy.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {summary.failing.map((record) => (
              <li key={record.id} className="py-2 text-sm">
                <Link href={secretHref(record)} className="flex flex-wrap items-center gap-2 hover:underline">
                  <HealthBadge status={record.health.status} />
                  <span className="font-medium">
                    {record.namespace ? `${record.namespace}/` : ""}
                    {record.name}
                  </span>
                  <span className="text-zinc-500 dark:text-zinc-400">
                    {record.kind} · {record.cluster}
                  </span>
                </Link>
                <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">
                  {record.diagnosis?.summary ?? record.health.message ?? record.health.reason}
                </p>
              </li>
            ))}
          </ul>
        )}
        {summary.failingTotal > summary.failing.length && (
          <Link href="/secrets" className="mt-2 inline-block text-sm font-medium hover:underline">
            See all {summary.failingTotal} →
          </Link>
        )}
      </Card>
      <Card title="Clusters and sealing controllers">
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {summary.clusters.map((cluster) => {
            const counts = summary.byCluster.find((c) => c.cluster === cluster.name);
            const certificate = cluster.controller?.certificate;
            return (
              <li key={cluster.name} className="space-y-1 py-2 text-sm">
                <ClusterBadge
                  name={cluster.name}
                  displayName={cluster.displayName}
                  environment={cluster.environment}
                  sandbox={cluster.sandbox}
                  state={cluster.state}
                  since={cluster.since}
                />
                <p className="text-zinc-600 dark:text-zinc-400">
                  {counts?.total ?? 0} secrets, {counts?.failing ?? 0} need attention
                  {cluster.externalSecretsVersion ? ` · ESO ${cluster.externalSecretsVersion}` : ""}
                </p>
                {cluster.controller ? (
                  <p className="text-zinc-600 dark:text-zinc-400">
                    Controller {controllerLabel({ ...cluster.controller, port: "" })},{" "}
                    {certificate ? (
                      <>
                        certificate{" "}
                        <code title={certificate.fingerprintSha256}>
                          {certificate.fingerprintSha256.slice(0, 16)}…
                        </code>
                        , {certificate.expired ? "expired" : "valid until"}{" "}
                        {certificate.notAfter.slice(0, 10)}
                      </>
                    ) : (
                      `certificate unavailable (${cluster.controller.error ?? "unknown error"})`
                    )}
                    , {cluster.controller.keys.length} sealing keys
                  </p>
                ) : cluster.detailsHidden ? (
                  <p className="text-zinc-600 dark:text-zinc-400">
                    Controller and server details are shown to those with a grant on this cluster.
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
        {summary.warnings.length > 0 && (
          <ul className="mt-3 space-y-2" aria-label="Warnings">
            {summary.warnings.map((warning, index) => (
              // The note is inside the item: a <li> with another role would leave the list without items.
              <li key={`${warning.cluster}-${warning.code}-${index}`}>
                <div
                  role="note"
                  className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
                >
                  <span className="font-medium">{warning.cluster}:</span> {warning.message}
                  {warning.command && <CommandBlock command={warning.command} />}
                  {canAcknowledge &&
                    (warning.code === "new-key" || warning.code === "certificate-changed") && (
                      <AcknowledgeKeyBackupButton cluster={warning.cluster} />
                    )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
