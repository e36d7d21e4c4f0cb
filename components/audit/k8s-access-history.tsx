"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Card } from "@/components/ui/card";
import { formatTimestamp } from "@/components/ui/format-timestamp";
import { InlineQueryError } from "@/components/ui/inline-query-error";
import { LoadOlderFooter } from "@/components/ui/load-older-footer";
import { LoadingRows } from "@/components/ui/loading-rows";
import {
  type K8sAccessEventView,
  type K8sAccessPage,
  type K8sAccessQueryInput,
  k8sAccessUrl,
} from "@/lib/audit/k8s-access/k8s-access-query";
import { AppError } from "@/lib/errors/app-error";
import { fetchJson, retryUnlessDenied } from "@/lib/queries/fetch-json";

// The Kubernetes API server's own record of who read or changed secrets (POST /api/k8s-audit, stored
// by lib/audit/k8s-access): on the Audit page for everything, on a secret's page for that secret.

export type K8sAccessFilters = Pick<
  K8sAccessQueryInput,
  "cluster" | "namespace" | "name" | "resource" | "user" | "verb" | "from" | "to"
>;

/** Pages of GET /api/k8s-access, newest first; the next page starts below the last id shown. */
export function useK8sAccessEvents(filters: K8sAccessFilters, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: ["k8s-access", filters, pageSize] as const,
    queryFn: ({ pageParam, signal }) =>
      fetchJson<K8sAccessPage>(k8sAccessUrl({ ...filters, limit: pageSize, cursor: pageParam }), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: retryUnlessDenied,
    refetchOnWindowFocus: false,
  });
}

const formatTime = (iso: string) => formatTimestamp(iso, iso);

const resourceLabels: Record<string, string> = {
  secrets: "Secret",
  sealedsecrets: "SealedSecret",
  externalsecrets: "ExternalSecret",
  clusterexternalsecrets: "ClusterExternalSecret",
};

function ResponseCode({ code }: { code: number | null }) {
  if (code === null) return <span className="text-xs text-zinc-500 dark:text-zinc-400">no status</span>;
  const tone =
    code < 300
      ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200"
      : code < 500
        ? "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200";
  return (
    <span className={`rounded border px-1.5 py-0.5 font-mono text-xs ${tone}`} title={`HTTP ${code}`}>
      {code}
    </span>
  );
}

function AccessItem({ event, showCluster }: { event: K8sAccessEventView; showCluster: boolean }) {
  const object = [event.namespace, event.name].filter(Boolean).join("/") || "(all)";
  return (
    <li className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm">
      <time dateTime={event.time} className="text-zinc-600 tabular-nums dark:text-zinc-400">
        {formatTime(event.time)}
      </time>
      <span className="font-medium">
        {event.username ?? "(unknown user)"}
        {event.impersonatedUser && (
          <span className="font-normal text-zinc-600 dark:text-zinc-400"> as {event.impersonatedUser}</span>
        )}
      </span>
      <span className="font-mono">{event.verb}</span>
      <span>
        {resourceLabels[event.resource] ?? event.resource}
        {event.subresource ? `/${event.subresource}` : ""}{" "}
        <span className="font-mono break-all">
          {showCluster ? `${event.cluster}: ` : ""}
          {object}
        </span>
      </span>
      <ResponseCode code={event.responseCode} />
      <span className="w-full pl-0 text-xs break-all text-zinc-500 sm:w-auto sm:pl-2 dark:text-zinc-400">
        {event.sourceIps.length > 0 ? `from ${event.sourceIps.join(", ")}` : ""}
        {event.userAgent ? ` · ${event.userAgent}` : ""}
      </span>
    </li>
  );
}

export type K8sAccessHistoryProps = {
  /** Filters (all optional): e.g. { cluster, namespace, name } on a secret's page. */
  filters?: K8sAccessFilters;
  /** Card title; default "Kubernetes access". */
  title?: string;
  pageSize?: number;
};

/**
 * Kubernetes access history from the API server's audit webhook: who did what to secrets,
 * SealedSecrets and ExternalSecrets, with the response code, source IPs and user agent; newest first,
 * older pages on demand. Needs `audit:read` (security leads, auditors); others see a short note.
 */
export function K8sAccessHistory({
  filters = {},
  title = "Kubernetes access",
  pageSize,
}: K8sAccessHistoryProps) {
  const query = useK8sAccessEvents(filters, pageSize);
  const events = useMemo(() => query.data?.pages.flatMap((p) => p.events) ?? [], [query.data]);
  const status = query.error instanceof AppError ? query.error.status : null;
  return (
    <Card title={title}>
      {query.isPending ? (
        <LoadingRows label="Loading the Kubernetes access history…" rows={3} rowClassName="h-6" />
      ) : query.isError && (status === 401 || status === 403) ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Kubernetes access history is shown to security leads and auditors.
        </p>
      ) : query.isError ? (
        <InlineQueryError
          message="The Kubernetes access history could not be loaded:"
          error={query.error}
          onRetry={() => void query.refetch()}
          focusRing
        />
      ) : events.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No Kubernetes API access recorded
          {filters.name ? " for this secret" : ""}. Access is recorded when the API server&apos;s audit
          webhook points at Sealdeck (see the README, “Kubernetes access history”).
        </p>
      ) : (
        <>
          <ol
            aria-label="Kubernetes access, newest first"
            className="divide-y divide-zinc-100 dark:divide-zinc-800"
          >
            {events.map((event) => (
              <AccessItem key={event.id} event={event} showCluster={!filters.cluster} />
            ))}
          </ol>
          <LoadOlderFooter
            query={query}
            label="Show older access"
            failed="Older access could not be loaded."
            focusRing
          />
        </>
      )}
    </Card>
  );
}
