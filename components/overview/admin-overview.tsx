import Link from "next/link";
import { Card } from "@/components/ui/card";
import { formatTimestamp } from "@/components/ui/format-timestamp";
import { roleLabels, roles, type Role } from "@/lib/auth/roles";

export type AdminOverviewProps = {
  clusters: {
    name: string;
    displayName: string | null;
    state: "connecting" | "synced" | "stale";
    since: string | null;
    sandbox: boolean;
  }[];
  repositories: { id: string; provider: string }[];
  users: { role: Role; lockedUntil: string | null; openSessions: number }[];
};

const stateWords = { connecting: "Connecting", synced: "Connected", stale: "Unreachable" } as const;

/**
 * The Overview for a role that may not read the secret inventory (admin): what it runs — clusters,
 * repositories, users — and never a claim about secrets it cannot see.
 */
export function AdminOverview({ clusters, repositories, users }: AdminOverviewProps) {
  const locked = users.filter((u) => u.lockedUntil).length;
  return (
    <>
      <Card title="Clusters">
        <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
          Your role manages Sealdeck, not the secrets: their health is on the Overview of developers, security
          leads and auditors.
        </p>
        {clusters.length === 0 ? (
          <p className="text-sm">No clusters configured.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {clusters.map((cluster) => (
              <li key={cluster.name} className="flex flex-wrap gap-x-2">
                <span className="font-medium">{cluster.displayName ?? cluster.name}</span>
                {cluster.sandbox && <span className="text-zinc-600 dark:text-zinc-400">(sandbox)</span>}
                <span>
                  {stateWords[cluster.state]}
                  {cluster.state === "stale" && cluster.since
                    ? ` since ${formatTimestamp(cluster.since)}`
                    : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
        <Link
          href="/settings"
          className="mt-3 inline-block text-sm font-medium text-sky-700 underline dark:text-sky-400"
        >
          Cluster settings
        </Link>
      </Card>
      <Card title="Repositories">
        <ul className="space-y-1 text-sm">
          {repositories.map((repository) => (
            <li key={repository.id}>
              <span className="font-medium">{repository.id}</span>{" "}
              <span className="text-zinc-600 dark:text-zinc-400">({repository.provider})</span>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Users">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          {roles.map((role) => (
            <div key={role}>
              <dt className="text-xs text-zinc-600 dark:text-zinc-400">{roleLabels[role]}s</dt>
              <dd className="text-2xl font-semibold">{users.filter((u) => u.role === role).length}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          {users.reduce((sum, u) => sum + u.openSessions, 0)} open sessions · {locked} locked account
          {locked === 1 ? "" : "s"}
        </p>
      </Card>
    </>
  );
}
