import type { QueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { inventoryKeys } from "@/lib/queries/keys";
import { auditKeys } from "@/lib/queries/use-audit-events";
import { secretHistoryUrl } from "@/lib/queries/use-audit-secret-history";
import { proposalKeys, proposalsUrl } from "@/lib/queries/use-proposals";
import { secretDetailUrl } from "@/lib/queries/use-secret-detail";
import { valueFixesUrl, valueFixKeys } from "@/lib/queries/use-value-fixes";
import type { SecretHistoryResponse } from "@/lib/validations/audit-query";
import type { ProposalListResponse } from "@/lib/validations/proposal-list";
import type { SecretEventsResponse } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE, type SecretRecord } from "@/lib/validations/secret-record";
import type { ValueFixesResponse } from "@/lib/validations/value-fix";

/**
 * Starts, at the click, the reads the secret's page makes once it is on screen (events, timeline,
 * pull requests, fixes), under the keys its hooks use: they run beside the page's server render
 * instead of after it (the profile showed them waiting for it, ~0.5–1 s on a loaded machine). The
 * page's hooks pick up the requests in flight; nothing here is shown before the page renders.
 */
export function prefetchSecretPage(
  queryClient: QueryClient,
  record: Pick<SecretRecord, "cluster" | "namespace" | "kind" | "name">,
): void {
  const { cluster, kind, name } = record;
  const namespace = record.namespace ?? CLUSTER_SCOPED_NAMESPACE;
  void queryClient.prefetchQuery({
    queryKey: inventoryKeys.events(cluster, namespace, kind, name),
    queryFn: ({ signal }) =>
      fetchJson<SecretEventsResponse>(`${secretDetailUrl(cluster, namespace, kind, name)}/events`, signal),
  });
  void queryClient.prefetchInfiniteQuery({
    queryKey: auditKeys.secretHistory(cluster, namespace, kind, name),
    queryFn: ({ pageParam, signal }) =>
      fetchJson<SecretHistoryResponse>(secretHistoryUrl(cluster, namespace, kind, name, pageParam), signal),
    initialPageParam: undefined as string | undefined,
  });
  void queryClient.prefetchQuery({
    queryKey: valueFixKeys.secret(cluster, namespace, kind, name),
    queryFn: ({ signal }) =>
      fetchJson<ValueFixesResponse>(valueFixesUrl(cluster, namespace, kind, name), signal),
  });
  if (kind === "SealedSecret") {
    const filter = { cluster, namespace, name };
    void queryClient.prefetchQuery({
      queryKey: proposalKeys.list(filter),
      queryFn: ({ signal }) => fetchJson<ProposalListResponse>(proposalsUrl(filter), signal),
    });
  }
}
