import Link from "next/link";
import { secretHref } from "@/components/secrets/secret-href";
import type { ProposalSummary } from "@/lib/validations/proposal-list";
import { MergeProposalControl } from "./merge-proposal-control";
import { ProposalLink, ProposalTime } from "./proposal-link";
import { ProposalStateBadge } from "./proposal-state-badge";

const th = "px-3 py-2 text-left text-xs font-medium tracking-wide text-zinc-600 uppercase dark:text-zinc-400";
const td = "px-3 py-2 align-top";
const columns = ["Secret", "Clusters", "Keys", "State", "Requested by", "Updated", "Pull request"] as const;

function KeyList({ keys }: { keys: string[] }) {
  const shown = keys.slice(0, 4);
  return (
    <span className="font-mono text-xs [overflow-wrap:anywhere]" title={keys.join(", ")}>
      {shown.join(", ")}
      {keys.length > shown.length && ` +${keys.length - shown.length} more`}
    </span>
  );
}

/** Sealdeck's pull requests: secret, clusters, keys, state, who, when, and the link to review them. */
export function ProposalsTable({
  proposals,
  caption,
  onMerged,
}: {
  proposals: ProposalSummary[];
  caption: string;
  onMerged: (message: string) => void;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 dark:border-zinc-800">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className={th}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {proposals.map((p) => (
            <tr key={p.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
              <td className={td}>
                <Link
                  href={secretHref({
                    cluster: p.clusters[0] ?? "",
                    namespace: p.namespace,
                    kind: "SealedSecret",
                    name: p.name,
                  })}
                  className="font-medium [overflow-wrap:anywhere] underline-offset-2 hover:underline focus-visible:underline"
                >
                  {p.namespace}/{p.name}
                </Link>
                {/* Two lines that may break anywhere, not one line that cannot: a one-line title set the
                    column's width, and a row wider than the page made the table scroll sideways. */}
                <div
                  className="mt-0.5 line-clamp-2 max-w-md text-xs [overflow-wrap:anywhere] text-zinc-500 dark:text-zinc-400"
                  title={p.title}
                >
                  {p.title}
                </div>
                {p.sharedBy > 1 && (
                  <div className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
                    Shared pull request ({p.sharedBy} secrets): merging it merges them all
                  </div>
                )}
              </td>
              <td className={td}>
                <span className="flex flex-wrap gap-1">
                  {p.clusters.map((cluster) => (
                    <span
                      key={cluster}
                      className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800 dark:text-zinc-200"
                    >
                      {cluster}
                    </span>
                  ))}
                </span>
              </td>
              <td className={td}>
                <KeyList keys={p.keys} />
              </td>
              <td className={td}>
                <ProposalStateBadge state={p.state} />
              </td>
              <td className={td}>{p.requestedBy}</td>
              <td className={`${td} text-zinc-600 dark:text-zinc-400`}>
                <ProposalTime iso={p.updatedAt} />
              </td>
              <td className={td}>
                <ProposalLink proposal={p} />
                <MergeProposalControl proposal={p} onMerged={onMerged} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
