"use client";

import { formatTimestamp } from "@/components/ui/format-timestamp";
import { cancellableFixStates, type ValueFixView } from "@/lib/validations/value-fix";

const stateText: Record<ValueFixView["state"], string> = {
  proposing: "Waiting for the pull request",
  waiting_merge: "Waiting for the merge",
  waiting_apply: "Waiting for the cluster",
  restarting: "Restarting the consumers",
  restarted: "Restarted",
  failed: "Failed",
  cancelled: "Cancelled",
};

type Step = { label: string; at: string | null; done: boolean };

function stepsOf(fix: ValueFixView): Step[] {
  const restarted = fix.state === "restarted";
  const applied = fix.appliedAt !== null;
  if (fix.kind === "ExternalSecret")
    return [
      { label: "Force-sync requested", at: fix.forceSyncedAt, done: fix.forceSyncedAt !== null },
      { label: "New sync reported by External Secrets Operator", at: fix.appliedAt, done: applied },
      { label: "Consumers restarted", at: restarted ? fix.finishedAt : null, done: restarted },
    ];
  return [
    { label: "Pull request opened", at: fix.proposedAt, done: fix.proposedAt !== null },
    { label: "Merged", at: fix.mergedAt, done: fix.mergedAt !== null },
    { label: "New value applied on the cluster", at: fix.appliedAt, done: applied },
    { label: "Consumers restarted", at: restarted ? fix.finishedAt : null, done: restarted },
  ];
}

type FixValueProgressProps = {
  fix: ValueFixView;
  /** Where the rotate form is, while the pull request is still to be made. */
  rotateHref: string | null;
  onCancel: (() => void) | null;
  pending: boolean;
};

/** One fix's progress: each step with its time, then how it ended; cancellable until the restart. */
export function FixValueProgress({ fix, rotateHref, onCancel, pending }: FixValueProgressProps) {
  const failed = fix.state === "failed";
  return (
    <div
      aria-label="Fix a value progress"
      className="mt-3 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800"
    >
      <p className="font-medium">
        Fix of {fix.keys.join(", ") || "the synced keys"}:{" "}
        <span
          data-testid="fix-state"
          className={failed ? "text-red-800 dark:text-red-300" : "text-zinc-900 dark:text-zinc-100"}
        >
          {stateText[fix.state]}
        </span>
      </p>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Requested by {fix.requestedBy} · {formatTimestamp(fix.createdAt)}
      </p>
      <ol className="mt-2 space-y-1">
        {stepsOf(fix).map((step) => (
          <li key={step.label} className="flex flex-wrap gap-x-2">
            <span
              aria-hidden
              className={step.done ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-400"}
            >
              {step.done ? "✓" : "○"}
            </span>
            <span className={step.done ? "" : "text-zinc-600 dark:text-zinc-400"}>{step.label}</span>
            <span className="sr-only">({step.done ? "done" : "not yet"})</span>
            {step.at && (
              <span className="text-zinc-600 dark:text-zinc-400">· {formatTimestamp(step.at)}</span>
            )}
          </li>
        ))}
      </ol>
      {fix.pullRequest && (
        <p className="mt-2 text-xs">
          Pull request:{" "}
          {/^https?:\/\//.test(fix.pullRequest.url) ? (
            <a href={fix.pullRequest.url} className="underline" target="_blank" rel="noreferrer">
              #{fix.pullRequest.number}
            </a>
          ) : (
            <code className="break-all">{fix.pullRequest.url}</code>
          )}{" "}
          ({fix.pullRequest.state})
        </p>
      )}
      {fix.state === "proposing" && rotateHref && (
        <p className="mt-2 text-xs">
          Enter the corrected values in the{" "}
          <a href={rotateHref} className="font-medium underline">
            rotate form
          </a>
          ; the consumers restart once the merged value is applied.
        </p>
      )}
      {fix.restarted.length > 0 && <p className="mt-2 text-xs">Restarted {fix.restarted.join(", ")}.</p>}
      {fix.failure && (
        <p role="alert" className="mt-2 text-xs text-red-800 dark:text-red-300">
          {fix.failure}
        </p>
      )}
      {onCancel && cancellableFixStates.includes(fix.state) && (
        <button
          type="button"
          onClick={onCancel}
          disabled={pending}
          className="mt-2 rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Cancel this fix
        </button>
      )}
    </div>
  );
}
