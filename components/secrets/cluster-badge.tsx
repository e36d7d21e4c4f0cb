type ClusterBadgeProps = {
  name: string;
  sandbox: boolean;
  state?: "connecting" | "synced" | "stale";
  since?: string | null;
};

/** A cluster's name, a clear "sandbox" label when it is one, and whether its data is live. */
export function ClusterBadge({ name, sandbox, state, since }: ClusterBadgeProps) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className="font-medium">{name}</span>
      {sandbox && (
        <span className="rounded bg-violet-100 px-1.5 py-0.5 text-[11px] font-semibold tracking-wide text-violet-900 uppercase dark:bg-violet-900/40 dark:text-violet-200">
          sandbox
        </span>
      )}
      {state === "stale" && (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
          unreachable{since ? ` since ${new Date(since).toLocaleString()}` : ""}: showing last known state
        </span>
      )}
      {state === "connecting" && (
        <span className="text-xs text-zinc-500 dark:text-zinc-400">connecting…</span>
      )}
    </span>
  );
}
