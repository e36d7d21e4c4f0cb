import type { ReactNode } from "react";
import type { AuditEventView } from "@/lib/validations/audit-query";
import { formatTimestamp } from "@/components/ui/format-timestamp";
import { actionLabel } from "@/lib/audit/display/action-labels";
import { PullRequestUrl } from "./pull-request-url";

type AuditEventDetailsProps = { event: AuditEventView; id?: string };

const Mono = ({ children }: { children: ReactNode }) => (
  <code className="font-mono text-xs break-all">{children}</code>
);

/** Everything one event holds, including the hashes that chain it to its neighbours. */
export function AuditEventDetails({ event, id }: AuditEventDetailsProps) {
  const rows: [string, ReactNode][] = [
    ["Event", `#${event.seq} at ${formatTimestamp(event.time)}`],
    [
      "Actor",
      [event.actor.name, event.actor.userId && `id ${event.actor.userId}`].filter(Boolean).join(" · ") ||
        "system",
    ],
    ["Role", event.actor.role],
    ["Address", event.actor.ip],
    ["Browser", event.actor.userAgent],
    [
      "Action",
      <span key="action">
        {actionLabel(event.action)} <Mono>{event.action}</Mono>
      </span>,
    ],
    ["Cluster", event.target.cluster],
    ["Namespace", event.target.namespace],
    ["Kind", event.target.kind],
    ["Name", event.target.name],
    ["Keys", event.target.keys.length > 0 ? event.target.keys.join(", ") : null],
    ["Pull request", event.pullRequestUrl && <PullRequestUrl url={event.pullRequestUrl} />],
    ["Request id", event.requestId && <Mono key="request">{event.requestId}</Mono>],
    ["Previous hash", <Mono key="prev">{event.prevHash}</Mono>],
    ["Hash", <Mono key="hash">{event.hash}</Mono>],
  ];
  const hasDetails = Object.keys(event.details).length > 0;
  return (
    <div id={id} className="grid gap-4 px-3 py-3 text-sm lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-4 gap-y-1">
        {rows
          .filter(([, value]) => value !== null && value !== undefined && value !== "")
          .map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
      </dl>
      <div className="min-w-0">
        <p className="text-zinc-500 dark:text-zinc-400">Details</p>
        {hasDetails ? (
          <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-950">
            {JSON.stringify(event.details, null, 2)}
          </pre>
        ) : (
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">None.</p>
        )}
      </div>
    </div>
  );
}
