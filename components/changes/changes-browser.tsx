"use client";

import { useEffect, useRef, useState } from "react";
import { LoadingRows } from "@/components/ui/loading-rows";
import { Notice } from "@/components/ui/notice";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { AppError } from "@/lib/errors/app-error";
import { useProposals } from "@/lib/queries/use-proposals";
import { proposalStates, type ProposalState } from "@/lib/validations/proposal-list";
import { proposalStateLabels } from "./proposal-state-badge";
import { ProposalsTable } from "./proposals-table";

const stateFilterKeys = ["state"] as const;

const isState = (value: string | undefined): value is ProposalState =>
  value !== undefined && (proposalStates as readonly string[]).includes(value);

// Only a known state filters the list; anything else in the URL shows every state.
const parseStateFilter = (raw: { state?: string }) => ({ state: isState(raw.state) ? raw.state : undefined });

/** The Changes page's client island: state filter in the URL → polled list → table. */
export function ChangesBrowser() {
  const [{ state }, update] = useUrlFilters(stateFilterKeys, parseStateFilter);
  const query = useProposals({ state });
  const counts = query.data?.counts;
  const total = counts ? proposalStates.reduce((sum, s) => sum + counts[s], 0) : undefined;

  const select = (next: ProposalState | undefined) => update({ state: next });

  // The last merge made here, kept on the page: the merged row leaves an "Open" list at the next fetch.
  // Focus follows it, since the Merge button that had focus is gone with the row.
  const [merged, setMerged] = useState<string | null>(null);
  const mergedRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (merged) mergedRef.current?.focus();
  }, [merged]);

  const options: { value: ProposalState | undefined; label: string; count: number | undefined }[] = [
    { value: undefined, label: "All", count: total },
    ...proposalStates.map((s) => ({ value: s, label: proposalStateLabels[s], count: counts?.[s] })),
  ];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="group" aria-label="Filter by state" className="inline-flex flex-wrap gap-1">
          {options.map((option) => {
            const pressed = option.value === state;
            return (
              <button
                key={option.label}
                type="button"
                aria-pressed={pressed}
                onClick={() => select(option.value)}
                className={`rounded-md border px-3 py-1.5 text-sm font-medium focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
                  pressed
                    ? "border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900"
                    : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
                }`}
              >
                {option.label}
                {option.count !== undefined && (
                  <span className="ml-1.5 text-xs opacity-70">{option.count}</span>
                )}
              </button>
            );
          })}
        </div>
        <span aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
          {query.isFetching && !query.isPending ? "refreshing…" : "updates every 15 s"}
        </span>
      </div>

      <p
        ref={mergedRef}
        role="status"
        tabIndex={-1}
        className={
          merged
            ? "rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
            : "sr-only"
        }
      >
        {merged}
      </p>

      {query.isPending ? (
        <LoadingRows label="Loading pull requests…" rows={5} rowClassName="h-10" />
      ) : query.isError ? (
        <Notice
          tone="error"
          title={
            query.error instanceof AppError && query.error.status === 403
              ? "You may not view these pull requests"
              : "The pull requests could not be loaded"
          }
        >
          <p>{query.error instanceof Error ? query.error.message : "Unknown error."}</p>
          <button type="button" className="mt-2 font-medium underline" onClick={() => void query.refetch()}>
            Try again
          </button>
        </Notice>
      ) : query.data.proposals.length === 0 ? (
        <Notice
          title={
            state ? `No ${proposalStateLabels[state].toLowerCase()} pull requests` : "No pull requests yet"
          }
        >
          {state ? (
            <button type="button" className="mt-2 font-medium underline" onClick={() => select(undefined)}>
              Show every state
            </button>
          ) : (
            <p>Values sealed and proposed from the Seal form appear here, with their review state.</p>
          )}
        </Notice>
      ) : (
        <ProposalsTable
          proposals={query.data.proposals}
          caption={state ? `${proposalStateLabels[state]} pull requests` : "Pull requests"}
          onMerged={setMerged}
        />
      )}
    </div>
  );
}
