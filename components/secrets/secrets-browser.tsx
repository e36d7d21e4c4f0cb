"use client";

import { useCallback, useMemo } from "react";
import { AppError } from "@/lib/errors/app-error";
import { useSecretList } from "@/lib/queries/use-secret-list";
import { useSecretStream } from "@/lib/queries/use-secret-stream";
import type { SecretFilters } from "@/lib/validations/secret-list-query";
import { ClusterBadge } from "./cluster-badge";
import { HealthCounts } from "./health-counts";
import { SecretFiltersBar } from "./secret-filters-bar";
import { SecretsTable } from "./secrets-table";
import { useSecretFilters } from "./use-secret-filters";

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

/** The Secrets page's client island: URL filters → API query → live table. */
export function SecretsBrowser() {
  const [filters, update] = useSecretFilters();
  const query = useSecretList(filters);
  const stream = useSecretStream();
  const records = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const first = query.data?.pages[0];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const onSort = useCallback(
    (field: NonNullable<SecretFilters["sort"]>) =>
      update({ sort: field, order: filters.sort === field && filters.order === "asc" ? "desc" : "asc" }),
    [update, filters.sort, filters.order],
  );
  const filtered = Boolean(
    filters.cluster || filters.namespace || filters.kind || filters.health || filters.scope || filters.text,
  );

  return (
    <div className="space-y-4">
      <SecretFiltersBar filters={filters} clusters={first?.clusters ?? []} onChange={update} />
      {first && (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <HealthCounts
            counts={first.counts}
            active={filters.health}
            onSelect={(health) => update({ health })}
          />
          <div className="flex flex-wrap items-center gap-3 text-sm text-zinc-600 dark:text-zinc-400">
            {first.clusters.map((c) => (
              <ClusterBadge
                key={c.name}
                name={c.name}
                displayName={c.displayName}
                environment={c.environment}
                sandbox={c.sandbox}
                state={c.state}
                since={c.since}
              />
            ))}
            <span aria-live="polite">
              {first.total} shown ·{" "}
              {stream === "live" ? "live" : stream === "connecting" ? "connecting…" : "reconnecting…"}
            </span>
          </div>
        </div>
      )}
      {query.isPending ? (
        <div role="status" aria-live="polite" className="space-y-2">
          <span className="sr-only">Loading secrets…</span>
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="h-9 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          ))}
        </div>
      ) : query.isError ? (
        <Notice
          tone="error"
          title={
            query.error instanceof AppError && query.error.status === 403
              ? "You may not view this inventory"
              : "The inventory could not be loaded"
          }
        >
          <p>{query.error instanceof Error ? query.error.message : "Unexpected error"}</p>
          <button
            type="button"
            onClick={() => void query.refetch()}
            className="mt-3 rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800"
          >
            Try again
          </button>
        </Notice>
      ) : first && first.clusters.length === 0 ? (
        <Notice title="No clusters configured">
          Sealdeck reads the contexts of <code>KUBECONFIG</code> (or <code>~/.kube/config</code>), or the
          in-cluster service account. Run <code>npm run dev</code> to get the sandbox cluster.
        </Notice>
      ) : records.length === 0 ? (
        <Notice
          title={filtered ? "No secrets match these filters" : "No SealedSecrets or ExternalSecrets yet"}
        >
          {filtered && (
            <button
              type="button"
              className="mt-2 font-medium underline"
              onClick={() =>
                update({
                  cluster: undefined,
                  namespace: undefined,
                  kind: undefined,
                  health: undefined,
                  scope: undefined,
                  text: undefined,
                })
              }
            >
              Clear the filters
            </button>
          )}
        </Notice>
      ) : (
        <SecretsTable
          records={records}
          sort={filters.sort}
          order={filters.order}
          onSort={onSort}
          hasMore={Boolean(hasNextPage)}
          onNearEnd={onNearEnd}
        />
      )}
    </div>
  );
}
