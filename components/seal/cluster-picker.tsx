"use client";

import { useId } from "react";

export type SealCluster = {
  name: string;
  displayName: string | null;
  sandbox: boolean;
  state: "connecting" | "synced" | "stale";
};

type ClusterPickerProps = {
  clusters: readonly SealCluster[];
  value: readonly string[];
  onChange: (clusters: string[]) => void;
  /** Locked (rotation, or while proposing): shown, not editable. */
  disabled?: boolean;
  error?: string;
};

/** One checkbox per cluster: each chosen cluster gets its own sealed manifest and file. */
export function ClusterPicker({ clusters, value, onChange, disabled, error }: ClusterPickerProps) {
  const id = useId();
  const toggle = (name: string, checked: boolean) =>
    onChange(
      checked
        ? clusters.map((c) => c.name).filter((n) => n === name || value.includes(n))
        : value.filter((n) => n !== name),
    );
  return (
    <fieldset aria-describedby={`${id}-help ${id}-error`}>
      <legend className="text-sm font-medium">Clusters</legend>
      <p id={`${id}-help`} className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        Each cluster has its own sealing key: the values are sealed once per cluster and written to each
        cluster&apos;s own file, in one pull request.
      </p>
      {clusters.length === 0 ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          Sealdeck knows no cluster. Check the kubeconfig the server runs with.
        </p>
      ) : (
        <div className="mt-2 flex flex-wrap gap-2">
          {clusters.map((cluster) => (
            <label
              key={cluster.name}
              className="flex cursor-pointer items-center gap-2 rounded-md border border-zinc-300 px-3 py-1.5 text-sm has-checked:border-emerald-600 has-checked:bg-emerald-50 has-disabled:cursor-not-allowed has-disabled:opacity-70 dark:border-zinc-700 dark:has-checked:border-emerald-500 dark:has-checked:bg-emerald-950/30"
            >
              <input
                type="checkbox"
                aria-label={cluster.name}
                aria-describedby={cluster.sandbox ? `${id}-sandbox` : undefined}
                checked={value.includes(cluster.name)}
                disabled={disabled}
                onChange={(event) => toggle(cluster.name, event.target.checked)}
              />
              <span className="font-medium">{cluster.displayName ?? cluster.name}</span>
              {cluster.displayName && (
                <span className="text-xs text-zinc-500 dark:text-zinc-400">({cluster.name})</span>
              )}
              {cluster.sandbox && (
                <span className="rounded bg-violet-100 px-1.5 py-0.5 text-[11px] font-semibold tracking-wide text-violet-900 uppercase dark:bg-violet-900/40 dark:text-violet-200">
                  sandbox
                </span>
              )}
              {cluster.state === "stale" && (
                <span className="text-xs text-amber-800 dark:text-amber-300">unreachable</span>
              )}
            </label>
          ))}
        </div>
      )}
      <p id={`${id}-sandbox`} hidden>
        A sandbox cluster, for trying Sealdeck out.
      </p>
      <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">
        {error}
      </p>
    </fieldset>
  );
}
