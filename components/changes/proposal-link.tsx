import { formatTimestamp } from "@/components/ui/format-timestamp";
import type { ProposalSummary } from "@/lib/validations/proposal-list";

/** The pull request on its host, or (plain git, no web page) the branch to review. */
export function ProposalLink({ proposal }: { proposal: ProposalSummary }) {
  if (!proposal.webUrl)
    return (
      <span
        className="font-mono text-xs break-all"
        title={`Branch ${proposal.branch} in ${proposal.repository}`}
      >
        {proposal.branch}
      </span>
    );
  return (
    <a
      href={proposal.webUrl}
      target="_blank"
      rel="noreferrer noopener"
      className="font-medium text-sky-700 underline-offset-2 hover:underline focus-visible:underline dark:text-sky-400"
    >
      #{proposal.number}
      <span className="sr-only"> (opens {proposal.repository} in a new tab)</span>
      <span aria-hidden> ↗</span>
    </a>
  );
}

export function ProposalTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap">
      {formatTimestamp(iso)}
    </time>
  );
}
