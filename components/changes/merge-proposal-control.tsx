"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { mergeProposal } from "@/lib/gitops/actions/merge-proposal";
import { proposalKeys } from "@/lib/queries/use-proposals";
import type { ProposalSummary } from "@/lib/validations/proposal-list";

/**
 * How an open plain-git proposal gets merged: "Merge" for a user allowed to merge it in the server's
 * own repository, or the git commands to run in a clone of a remote without pull requests. A merge that
 * succeeds is announced through `onMerged`, by the page: the merged proposal leaves an "Open" list (and
 * loses this control everywhere), so a message kept here would vanish before anyone could read it.
 */
export function MergeProposalControl({
  proposal,
  onMerged,
}: {
  proposal: ProposalSummary;
  onMerged: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<{ text: string } | null>(null);
  const merge = proposal.merge;
  if (!merge)
    // An open plain-git branch this user may not merge: say who moves it on, rather than leave the
    // requester with a branch name and nothing to do.
    return proposal.state === "open" && !proposal.webUrl ? (
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        Waiting for someone allowed to merge into {proposal.baseBranch}: they merge it here.
      </p>
    ) : null;

  if (merge.how === "commands")
    return (
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer text-zinc-700 underline-offset-2 hover:underline dark:text-zinc-300">
          How to merge
        </summary>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          {merge.remote} has no pull requests: in a clone of it, run
        </p>
        <pre className="mt-1 rounded bg-zinc-100 p-2 font-mono break-all whitespace-pre-wrap dark:bg-zinc-800 dark:text-zinc-100">
          {merge.commands.join("\n")}
        </pre>
      </details>
    );

  const run = () =>
    startTransition(async () => {
      try {
        const result = await mergeProposal({ proposalId: proposal.id });
        if (result.ok) {
          setOutcome(null);
          onMerged(
            `Merged ${proposal.branch} into ${result.data.base} as ${result.data.commit.slice(0, 7)}.`,
          );
        } else setOutcome({ text: result.error });
        await queryClient.invalidateQueries({ queryKey: proposalKeys.all });
      } catch {
        setOutcome({ text: "Sealdeck could not be reached; nothing was merged. Retry." });
      }
    });

  return (
    <div className="mt-1">
      <button
        type="button"
        onClick={run}
        disabled={pending}
        aria-label={`Merge ${proposal.branch} into ${proposal.baseBranch}`}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs font-medium text-zinc-800 hover:bg-zinc-50 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
      >
        {pending ? "Merging…" : `Merge into ${proposal.baseBranch}`}
      </button>
      {outcome && (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">
          {outcome.text}
        </p>
      )}
    </div>
  );
}
