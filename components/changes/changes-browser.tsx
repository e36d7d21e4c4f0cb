"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { AppError } from "@/lib/errors/app-error";
import { useProposals } from "@/lib/queries/use-proposals";
import { proposalStates, type ProposalState } from "@/lib/validations/proposal-list";
import { proposalStateLabels } from "./proposal-state-badge";
import { ProposalsTable } from "./proposals-table";

function Notice({
  title,
  children,
  tone = "neutral",
}: {
  title: string;
  children?: React.ReactNode;
  tone?: "neutral" | "error";
}) {
  const colours =
    tone === "error"
      ? "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
      : "border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg border p-5 text-sm ${colours}`}>
      <p className="font-medium">{title}</p>
      {children && <div className="mt-1">{children}</div>}
    </div>
  );
}

const isState = (value: string | null): value is ProposalState =>
  value !== null && (proposalStates as readonly string[]).includes(value);

/** The Changes page's client island: state filter in the URL → polled list → table. */
export function ChangesBrowser() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const raw = params.get("state");
  const state = isState(raw) ? raw : undefined;
  const query = useProposals({ state });
  const counts = query.data?.counts;
  const total = counts ? proposalStates.reduce((sum, s) => sum + counts[s], 0) : undefined;

  const select = (next: ProposalState | undefined) => {
    const search = new URLSearchParams(params.toString());
    if (next) search.set("state", next);
    else search.delete("state");
    const text = search.toString();
    router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
  };

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

      {query.isPending ? (
        <div role="status" aria-live="polite" className="space-y-2">
          <span className="sr-only">Loading pull requests…</span>
          {Array.from({ length: 5 }, (_, i) => (
            <div key={i} className="h-10 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          ))}
        </div>
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
        />
      )}
    </div>
  );
}
