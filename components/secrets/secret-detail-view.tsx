"use client";

import { formatTimestamp } from "@/components/ui/format-timestamp";
import Link from "next/link";
import { AppError } from "@/lib/errors/app-error";
import { useSecretDetail } from "@/lib/queries/use-secret-detail";
import { useSecretEvents } from "@/lib/queries/use-secret-events";
import { useSecretStream } from "@/lib/queries/use-secret-stream";
import type { SecretDetailResponse } from "@/lib/validations/secret-list-query";
import type { SecretKind } from "@/lib/validations/secret-record";
import { PageHeader } from "@/components/ui/page-header";
import { RotateKeysButton } from "@/components/seal/rotate-keys-button";
import { ClusterBadge } from "./cluster-badge";
import { DetailSection, Facts } from "./detail-section";
import { FixValuePanel } from "./fix-value-panel";
import { HealthBadge } from "./health-badge";
import { SecretActions, type SecretActionPermissions } from "./secret-actions";
import { SecretHistory, SecretPullRequests } from "./secret-lazy-sections";
import { type SecretSections, useSeedSecretSections } from "./seed-secret-sections";
import { SecretSourceFacts } from "./secret-source-facts";

const time = (iso: string | null) => formatTimestamp(iso);

type SecretDetailViewProps = {
  cluster: string;
  namespace: string;
  kind: SecretKind;
  name: string;
  allowed: SecretActionPermissions;
  /** The record as the page's server render read it (null: the client asks the API, which says why). */
  initial?: SecretDetailResponse | null;
  /** The sections' reads, streamed with the server render (absent: the sections ask the API). */
  sections?: SecretSections;
};

/** One secret: health and diagnosis first, then status, keys, source, consumers, Argo CD and events. */
export function SecretDetailView({
  cluster,
  namespace,
  kind,
  name,
  allowed,
  initial,
  sections,
}: SecretDetailViewProps) {
  // Before any section's hook subscribes (this component's own and its children's).
  useSeedSecretSections({ cluster, namespace, kind, name }, sections);
  const query = useSecretDetail(cluster, namespace, kind, name, initial);
  const eventsQuery = useSecretEvents(cluster, namespace, kind, name);
  useSecretStream();
  const title = `${namespace === "-" ? "" : `${namespace}/`}${name}`;
  if (query.isPending) {
    return (
      <div role="status" aria-live="polite" className="space-y-4">
        <span className="sr-only">Loading {title}…</span>
        <div className="h-8 w-64 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        <div className="h-40 animate-pulse rounded-lg bg-zinc-200 dark:bg-zinc-800" />
      </div>
    );
  }
  if (query.isError) {
    const status = query.error instanceof AppError ? query.error.status : 0;
    return (
      <div
        role="alert"
        className="rounded-lg border border-red-300 bg-red-50 p-5 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
      >
        <h1 className="text-lg font-semibold">
          {status === 404
            ? `${kind} ${title} was not found`
            : status === 403
              ? "You may not view this secret"
              : "This secret could not be loaded"}
        </h1>
        <p className="mt-1">{query.error instanceof Error ? query.error.message : "Unexpected error"}</p>
        <Link href="/secrets" className="mt-3 inline-block font-medium underline">
          Back to all secrets
        </Link>
      </div>
    );
  }
  const { record, cluster: clusterStatus } = query.data;
  const events = eventsQuery.data?.events ?? [];
  const eventsError =
    eventsQuery.data?.eventsError ??
    (eventsQuery.error ? (eventsQuery.error instanceof Error ? eventsQuery.error.message : "error") : null);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link
          href="/secrets"
          className="text-zinc-700 underline underline-offset-2 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-white"
        >
          Secrets
        </Link>{" "}
        / {title}
      </nav>
      <PageHeader
        title={title}
        description={`${record.kind} on cluster ${record.cluster}`}
        actions={<HealthBadge status={record.health.status} reason={record.health.reason} />}
      />
      <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
        <ClusterBadge
          name={record.cluster}
          displayName={clusterStatus?.displayName}
          environment={clusterStatus?.environment}
          sandbox={clusterStatus?.sandbox ?? false}
          state={clusterStatus?.state}
          since={clusterStatus?.since}
        />
      </div>
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <DetailSection title="Health">
          <p className="text-sm">
            <span className="font-medium">{record.health.reason}</span>
            {record.health.message ? `: ${record.health.message}` : ""}
          </p>
          {record.staleSince && (
            <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">
              The cluster has been unreachable since {time(record.staleSince)}; this is the last state seen.
            </p>
          )}
          {record.diagnosis && (
            <div
              role="note"
              aria-label="Diagnosis"
              className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950/40"
            >
              <p className="font-medium text-red-900 dark:text-red-200">Why it cannot be unsealed</p>
              <p className="mt-1">{record.diagnosis.summary}</p>
              <p className="mt-2">
                <span className="font-medium">What to do: </span>
                {record.diagnosis.fix}
              </p>
            </div>
          )}
        </DetailSection>
        <DetailSection title="Actions">
          <SecretActions
            address={{ cluster, namespace, kind, name }}
            allowed={allowed}
            consumers={record.consumers.length}
          />
          {allowed.rotate && kind === "SealedSecret" && (
            <RotateKeysButton cluster={cluster} namespace={namespace} name={name} keys={record.keys} />
          )}
          <FixValuePanel
            cluster={cluster}
            namespace={namespace}
            kind={kind}
            name={name}
            keys={record.keys}
            canFix={allowed.fixValue ?? false}
          />
        </DetailSection>
        <DetailSection
          title="Status conditions"
          empty={record.conditions.length === 0 && "The controller has not reported any conditions yet."}
        >
          <ul className="space-y-2 text-sm">
            {record.conditions.map((c) => (
              <li key={c.type}>
                <span className="font-medium">{c.type}</span> = {c.status}
                {c.reason ? ` (${c.reason})` : ""}{" "}
                <span className="text-zinc-500 dark:text-zinc-400">· {time(c.lastTransitionTime)}</span>
                {c.message && <p className="text-zinc-700 dark:text-zinc-300">{c.message}</p>}
              </li>
            ))}
          </ul>
        </DetailSection>
        <DetailSection
          title={`Keys (${record.keys.length})`}
          empty={record.keys.length === 0 && "No key names are known (they come from the remote store)."}
        >
          <ul className="flex flex-wrap gap-2">
            {record.keys.map((key) => (
              <li key={key}>
                <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">{key}</code>
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
            Names only: Sealdeck never reads secret values.
          </p>
        </DetailSection>
        <DetailSection title="Source">
          <SecretSourceFacts record={record} />
        </DetailSection>
        <DetailSection title="Target Secret">
          <Facts
            rows={[
              ["Name", record.target.name],
              ["Exists", record.target.present === null ? "unknown" : record.target.present ? "yes" : "no"],
            ]}
          />
        </DetailSection>
        <DetailSection
          title={`Used by (${record.consumers.length})`}
          empty={
            record.consumers.length === 0 &&
            "No Deployment, StatefulSet, DaemonSet or CronJob uses this secret."
          }
        >
          <ul className="space-y-1 text-sm">
            {record.consumers.map((c) => (
              <li key={`${c.kind}/${c.namespace}/${c.name}`}>
                <span className="font-medium">{c.kind}</span> {c.namespace}/{c.name}{" "}
                <span className="text-zinc-500 dark:text-zinc-400">via {c.via.join(", ")}</span>
              </li>
            ))}
          </ul>
        </DetailSection>
        <DetailSection
          title="Argo CD application"
          empty={!record.application && "No Argo CD Application manages this namespace."}
        >
          {record.application && (
            <Facts
              rows={[
                ["Application", `${record.application.namespace}/${record.application.name}`],
                ["Sync", record.application.sync],
                ["Health", record.application.health],
                [
                  "Linked by",
                  record.application.matchedBy === "destination-namespace"
                    ? "destination namespace (no tracking label)"
                    : record.application.matchedBy,
                ],
              ]}
            />
          )}
        </DetailSection>
        <DetailSection
          title="Recent events"
          empty={
            eventsQuery.isPending
              ? "Reading events from the cluster…"
              : eventsError
                ? `Events could not be read: ${eventsError}`
                : events.length === 0 && "No recent events."
          }
        >
          <ul className="space-y-2 text-sm">
            {events.map((e, index) => (
              <li key={`${e.reason}-${e.lastSeen}-${index}`}>
                <span
                  className={
                    e.type === "Warning" ? "font-medium text-red-800 dark:text-red-300" : "font-medium"
                  }
                >
                  {e.reason ?? e.type}
                </span>{" "}
                <span className="text-zinc-500 dark:text-zinc-400">
                  · {time(e.lastSeen)}
                  {e.count > 1 ? ` · ×${e.count}` : ""}
                  {e.source ? ` · ${e.source}` : ""}
                </span>
                {e.message && <p className="text-zinc-700 dark:text-zinc-300">{e.message}</p>}
              </li>
            ))}
          </ul>
        </DetailSection>
      </div>
      {kind === "SealedSecret" && (
        <div className="mt-6">
          <SecretPullRequests cluster={cluster} namespace={namespace} name={name} />
        </div>
      )}
      <SecretHistory cluster={cluster} namespace={namespace} kind={kind} name={name} />
    </>
  );
}
