"use client";

import { useMemo, useState } from "react";
import { useSignedInUser } from "@/components/auth/signed-in-user";
import { Card } from "@/components/ui/card";
import { InlineQueryError } from "@/components/ui/inline-query-error";
import { LoadOlderFooter } from "@/components/ui/load-older-footer";
import { LoadingRows } from "@/components/ui/loading-rows";
import { permissionScope } from "@/lib/auth/permissions";
import { useAuditSecretHistory } from "@/lib/queries/use-audit-secret-history";
import type { AuditEventView } from "@/lib/validations/audit-query";
import { AuditEventDetails } from "./audit-event-details";
import { formatActor, formatTime } from "./format-audit";
import { K8sAccessHistory } from "./k8s-access-history";
import { OutcomeBadge } from "./outcome-badge";
import { PullRequestUrl } from "./pull-request-url";

// Plain words for the actions a secret's history holds; anything else shows its dotted name.
const actionLabels: Record<string, string> = {
  "secret.viewed": "Page viewed",
  "secret.force_sync.requested": "Force-sync requested",
  "secret.force_sync": "Force-sync",
  "secret.restart_consumers.requested": "Restart of consumers requested",
  "secret.restart_consumers": "Consumers restarted",
  "secret.validate.requested": "Validation requested",
  "secret.validate": "Validated with the controller",
  "seal.requested": "Sealing requested",
  "pull_request.opened": "Pull request opened",
  "pull_request.updated": "Pull request updated",
  "pull_request.merged": "Pull request merged",
  "pull_request.closed": "Pull request closed",
  "rotation.observed": "Rotation observed",
  "secret.reencryption.observed": "Re-encryption observed (same values, newer key)",
};

function HistoryItem({ event }: { event: AuditEventView }) {
  const [open, setOpen] = useState(false);
  const detailsId = `history-${event.seq}`;
  return (
    <li className="py-2">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen(!open)}
        className="flex w-full flex-wrap items-center gap-x-3 gap-y-1 rounded text-left text-sm focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
      >
        <span aria-hidden className="text-zinc-400">
          {open ? "▾" : "▸"}
        </span>
        <span className="font-medium">{actionLabels[event.action] ?? event.action}</span>
        <OutcomeBadge outcome={event.outcome} />
        <span className="text-zinc-600 dark:text-zinc-400">
          {formatActor(event.actor)} · <time dateTime={event.time}>{formatTime(event.time)}</time>
          {event.target.keys.length > 0 ? ` · keys ${event.target.keys.join(", ")}` : ""}
        </span>
        <span className="ml-auto font-mono text-xs text-zinc-500 dark:text-zinc-400">#{event.seq}</span>
      </button>
      {event.pullRequestUrl && <PullRequestUrl url={event.pullRequestUrl} className="ml-6 text-sm" />}
      {open && (
        <div className="mt-2 rounded-md border border-zinc-200 dark:border-zinc-800">
          <AuditEventDetails event={event} id={detailsId} />
        </div>
      )}
    </li>
  );
}

type SecretHistoryProps = { cluster: string; namespace: string; kind: string; name: string };

/**
 * The secret's own audit history on its page, newest first: views, seal requests, pull requests,
 * validations, force-syncs, restarts and observed rotations, shown to whoever may see the secret; then
 * the Kubernetes API server's record of access to it (security leads and auditors).
 */
export function SecretHistory({ cluster, namespace, kind, name }: SecretHistoryProps) {
  const query = useAuditSecretHistory(cluster, namespace, kind, name);
  const user = useSignedInUser();
  // Only asked for by those who may read it (the route checks again): no 403 on every developer's visit.
  const showK8sAccess = Boolean(user && permissionScope(user.role, "audit:read"));
  const events = useMemo(() => query.data?.pages.flatMap((p) => p.events) ?? [], [query.data]);
  return (
    <div className="mt-6">
      <Card title="History">
        {query.isPending ? (
          <LoadingRows label="Loading the history…" rows={3} rowClassName="h-6" />
        ) : query.isError ? (
          <InlineQueryError
            message="The history could not be loaded:"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : events.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Nothing has been recorded about this secret yet.
          </p>
        ) : (
          <>
            <ol aria-label="History, newest first" className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {events.map((event) => (
                <HistoryItem key={event.seq} event={event} />
              ))}
            </ol>
            <LoadOlderFooter
              query={query}
              label="Show older events"
              failed="Older events could not be loaded."
            />
          </>
        )}
      </Card>
      {/* The API server's own record of access to this object (audit webhook; shown with audit:read). */}
      {showK8sAccess && (
        <div className="mt-6">
          <K8sAccessHistory
            title="Kubernetes access"
            filters={
              namespace === "-"
                ? { cluster, name, resource: "clusterexternalsecrets" }
                : { cluster, namespace, name }
            }
          />
        </div>
      )}
    </div>
  );
}
