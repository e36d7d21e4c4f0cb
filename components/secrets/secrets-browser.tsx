"use client";

import { useCallback, useMemo } from "react";
import { LoadingRows } from "@/components/ui/loading-rows";
import { Notice } from "@/components/ui/notice";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { clearedFilters } from "@/components/ui/use-url-filters";
import { useSecretList } from "@/lib/queries/use-secret-list";
import { useSecretStream } from "@/lib/queries/use-secret-stream";
import type { SecretFilters } from "@/lib/validations/secret-list-query";
import { ClusterBadge } from "./cluster-badge";
import { HealthCounts } from "./health-counts";
import { SecretFiltersBar } from "./secret-filters-bar";
import { SecretsTable } from "./secrets-table";
import { useSecretFilters } from "./use-secret-filters";
import { ClearFiltersButton } from "@/components/ui/clear-filters-button";

// The filters that narrow the list (sort and order only arrange it).
const narrowingKeys = ["cluster", "namespace", "kind", "health", "scope", "text"] as const;

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
  const filtered = narrowingKeys.some((key) => Boolean(filters[key]));

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
        <LoadingRows label="Loading secrets…" rows={8} rowClassName="h-9" />
      ) : query.isError ? (
        <QueryErrorNotice
          title="The inventory could not be loaded"
          statusTitles={{ 403: "You may not view this inventory" }}
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : first && first.clusters.length === 0 ? (
        <Notice title="No clusters configured">
          Sealdeck reads the contexts of <code>KUBECONFIG</code> (or <code>~/.kube/config</code>), or the
          in-cluster service account. Run <code>npm run dev</code> to get the sandbox cluster.
        </Notice>
      ) : records.length === 0 ? (
        <Notice
          title={filtered ? "No secrets match these filters" : "No SealedSecrets or ExternalSecrets yet"}
        >
          {filtered && <ClearFiltersButton onClear={() => update(clearedFilters(narrowingKeys))} />}
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
