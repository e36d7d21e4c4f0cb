import type { ProposalState } from "@/lib/validations/proposal-list";

const styles: Record<ProposalState, string> = {
  open: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
  merged: "bg-violet-100 text-violet-900 dark:bg-violet-900/40 dark:text-violet-200",
  closed: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

const dots: Record<ProposalState, string> = {
  open: "bg-sky-500",
  merged: "bg-violet-500",
  closed: "bg-zinc-400",
};

export const proposalStateLabels: Record<ProposalState, string> = {
  open: "Open",
  merged: "Merged",
  closed: "Closed",
};

/** A pull request's state as colour and words, never colour alone. */
export function ProposalStateBadge({ state }: { state: ProposalState }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${styles[state]}`}
    >
      <span aria-hidden className={`size-1.5 rounded-full ${dots[state]}`} />
      {proposalStateLabels[state]}
    </span>
  );
}
