import { formatTimestamp } from "@/components/ui/format-timestamp";

type Environment = "production" | "staging" | "development";

type ClusterBadgeProps = {
  name: string;
  /** From Settings → Clusters; the context name is kept as a tooltip and for screen readers. */
  displayName?: string | null;
  environment?: Environment | null;
  sandbox: boolean;
  state?: "connecting" | "synced" | "stale";
  since?: string | null;
};

const environmentStyles: Record<Environment, string> = {
  production: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  staging: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
  development: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
};

/**
 * A cluster's display name (or context name), its environment, a clear "sandbox" label when it is one,
 * and whether its data is live.
 */
export function ClusterBadge({ name, displayName, environment, sandbox, state, since }: ClusterBadgeProps) {
  const shown = displayName?.trim() || name;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5" data-testid={`cluster-badge-${name}`}>
      <span className="font-medium" title={shown === name ? undefined : `context ${name}`}>
        {shown}
        {shown !== name && <span className="sr-only"> (context {name})</span>}
      </span>
      {environment && (
        <span
          className={`rounded px-1.5 py-0.5 text-[11px] font-semibold tracking-wide uppercase ${environmentStyles[environment]}`}
        >
          {environment}
        </span>
      )}
      {sandbox && (
        <span className="rounded bg-violet-100 px-1.5 py-0.5 text-[11px] font-semibold tracking-wide text-violet-900 uppercase dark:bg-violet-900/40 dark:text-violet-200">
          sandbox
        </span>
      )}
      {state === "stale" && (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
          unreachable{since ? ` since ${formatTimestamp(since)}` : ""}: showing last known state
        </span>
      )}
      {state === "connecting" && (
        <span className="text-xs text-zinc-500 dark:text-zinc-400">connecting…</span>
      )}
    </span>
  );
}
