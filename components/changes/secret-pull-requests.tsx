"use client";

import Link from "next/link";
import { useProposals } from "@/lib/queries/use-proposals";
import { ProposalLink, ProposalTime } from "./proposal-link";
import { ProposalStateBadge } from "./proposal-state-badge";

type SecretPullRequestsProps = { cluster: string; namespace: string; name: string };

/** The secret page's own pull requests (newest first), polled like the Changes page. */
export function SecretPullRequests({ cluster, namespace, name }: SecretPullRequestsProps) {
  const query = useProposals({ cluster, namespace, name });
  return (
    <section aria-labelledby="secret-pull-requests" className="space-y-2">
      <div className="flex items-baseline justify-between gap-3">
        <h2 id="secret-pull-requests" className="text-base font-semibold">
          Pull requests
        </h2>
        <Link
          href="/changes"
          className="text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
        >
          All changes
        </Link>
      </div>
      {query.isPending ? (
        <div
          role="status"
          aria-live="polite"
          className="h-10 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800"
        >
          <span className="sr-only">Loading pull requests…</span>
        </div>
      ) : query.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Pull requests could not be loaded:{" "}
          {query.error instanceof Error ? query.error.message : "unknown error"}
        </p>
      ) : query.data.proposals.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Sealdeck has opened no pull request for this secret.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {query.data.proposals.slice(0, 10).map((p) => (
            <li key={p.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
              <ProposalStateBadge state={p.state} />
              <span className="min-w-0 flex-1 truncate" title={p.title}>
                {p.title}
              </span>
              <span className="text-zinc-600 dark:text-zinc-400">
                {p.requestedBy} · <ProposalTime iso={p.updatedAt} />
              </span>
              <ProposalLink proposal={p} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
