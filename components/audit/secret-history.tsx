"use client";

import { useMemo, useState } from "react";
import { useSignedInUser } from "@/components/auth/signed-in-user";
import { Card } from "@/components/ui/card";
import { InlineQueryError } from "@/components/ui/inline-query-error";
import { LoadOlderFooter } from "@/components/ui/load-older-footer";
import { LoadingRows } from "@/components/ui/loading-rows";
import { actionLabel } from "@/lib/audit/display/action-labels";
import { pairAuditResults } from "@/lib/audit/display/pair-audit-results";
import { permissionScope } from "@/lib/auth/permissions";
import { useAuditSecretHistory } from "@/lib/queries/use-audit-secret-history";
import type { AuditEventView } from "@/lib/validations/audit-query";
import { AuditEventDetails } from "./audit-event-details";
import { formatActor, formatTime } from "./format-audit";
import { K8sAccessHistory } from "./k8s-access-history";
import { OutcomeBadge } from "./outcome-badge";
import { PullRequestUrl } from "./pull-request-url";

/** Where a change stands on one cluster, for the line under a timeline entry. */
function clustersOf(event: AuditEventView): string | null {
  if (event.target.cluster) return event.target.cluster;
  const clusters = event.details.clusters;
  return Array.isArray(clusters) && clusters.every((c) => typeof c === "string") ? clusters.join(", ") : null;
}

function TimelineItem({ event, result }: { event: AuditEventView; result?: AuditEventView | undefined }) {
  const [open, setOpen] = useState(false);
  const detailsId = `history-${event.seq}`;
  const clusters = clustersOf(result ?? event);
  const prUrl = result?.pullRequestUrl ?? event.pullRequestUrl;
  return (
    <li className="py-2">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen(!open)}
        className="flex w-full flex-wrap items-center gap-x-3 gap-y-1 rounded text-left text-sm focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
      >
        <span aria-hidden className="text-zinc-500 dark:text-zinc-400">
          {open ? "▾" : "▸"}
        </span>
        <span className="font-medium">
          {actionLabel(event.action)}
          {result && ` → ${actionLabel(result.action)}`}
        </span>
        <OutcomeBadge outcome={event.outcome} result={result} />
        {typeof event.details.fixId === "string" && (
          // The steps of one "Fix a value" share this id: request, pull request, merge, applied, restart.
          <span className="rounded bg-sky-100 px-1.5 py-0.5 font-mono text-xs text-sky-900 dark:bg-sky-950 dark:text-sky-200">
            fix {event.details.fixId.slice(0, 8)}
          </span>
        )}
        <span className="text-zinc-600 dark:text-zinc-400">
          {formatActor(event.actor)} · <time dateTime={event.time}>{formatTime(event.time)}</time>
          {clusters ? ` · ${clusters}` : ""}
          {event.target.keys.length > 0 ? ` · keys ${event.target.keys.join(", ")}` : ""}
        </span>
        <span className="ml-auto font-mono text-xs text-zinc-600 dark:text-zinc-400">
          #{event.seq}
          {result ? `, #${result.seq}` : ""}
        </span>
      </button>
      {prUrl && <PullRequestUrl url={prUrl} className="ml-6 text-sm" />}
      {open && (
        <div id={detailsId} className="mt-2 space-y-2">
          {[event, ...(result ? [result] : [])].map((shown) => (
            <div key={shown.seq} className="rounded-md border border-zinc-200 dark:border-zinc-800">
              <AuditEventDetails event={shown} />
            </div>
          ))}
        </div>
      )}
    </li>
  );
}

type SecretHistoryProps = { cluster: string; namespace: string; kind: string; name: string };

/**
 * The secret's one timeline, newest first: sealed by → pull request → merged by → rotation observed on
 * each cluster, with force-syncs, restarts and validations; a request and its result read as one entry.
 * Beside it, who looked: page views, and (security leads and auditors) the Kubernetes API server's
 * record of access to the object.
 */
export function SecretHistory({ cluster, namespace, kind, name }: SecretHistoryProps) {
  const query = useAuditSecretHistory(cluster, namespace, kind, name);
  const user = useSignedInUser();
  // Only asked for by those who may read it (the route checks again): no 403 on every developer's visit.
  const showK8sAccess = Boolean(user && permissionScope(user.role, "audit:read"));
  const events = useMemo(() => query.data?.pages.flatMap((p) => p.events) ?? [], [query.data]);
  const { changes, views, results } = useMemo(() => {
    const paired = pairAuditResults(events);
    const answered = new Set([...paired.values()].map((e) => e.seq));
    return {
      changes: events.filter((e) => e.action !== "secret.viewed" && !answered.has(e.seq)),
      views: events.filter((e) => e.action === "secret.viewed"),
      results: paired,
    };
  }, [events]);
  const loadOlder = (
    <LoadOlderFooter query={query} label="Show older events" failed="Older events could not be loaded." />
  );
  return (
    <div className="mt-6 grid items-start gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card title="Timeline">
        {query.isPending ? (
          <LoadingRows label="Loading the history…" rows={3} rowClassName="h-6" />
        ) : query.isError ? (
          <InlineQueryError
            message="The history could not be loaded:"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : changes.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No change to this secret has been recorded{query.hasNextPage ? " in the newest events" : " yet"}.
          </p>
        ) : (
          <ol aria-label="Timeline, newest first" className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {changes.map((event) => (
              <TimelineItem key={event.seq} event={event} result={results.get(event.seq)} />
            ))}
          </ol>
        )}
        {!query.isPending && !query.isError && loadOlder}
      </Card>
      <div className="space-y-6">
        <Card title="Page views">
          {query.isPending ? (
            <LoadingRows label="Loading page views…" rows={2} rowClassName="h-6" />
          ) : views.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No page view recorded in these events.</p>
          ) : (
            <ol aria-label="Page views, newest first" className="space-y-1 text-sm">
              {views.map((view) => (
                <li key={view.seq} className="flex flex-wrap gap-x-2 text-zinc-700 dark:text-zinc-300">
                  <span className="font-medium">{formatActor(view.actor)}</span>
                  <time dateTime={view.time}>{formatTime(view.time)}</time>
                  {view.actor.ip && (
                    <span className="text-zinc-600 dark:text-zinc-400">from {view.actor.ip}</span>
                  )}
                  <span className="ml-auto font-mono text-xs text-zinc-600 dark:text-zinc-400">
                    #{view.seq}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
        {/* The API server's own record of access to this object (audit webhook; shown with audit:read). */}
        {showK8sAccess && (
          <K8sAccessHistory
            title="Kubernetes access"
            filters={
              namespace === "-"
                ? { cluster, name, resource: "clusterexternalsecrets" }
                : { cluster, namespace, name }
            }
          />
        )}
      </div>
    </div>
  );
}
