"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { inventoryKeys } from "@/lib/queries/keys";
import { auditKeys } from "@/lib/queries/use-audit-events";
import { proposalKeys } from "@/lib/queries/use-proposals";
import { valueFixKeys } from "@/lib/queries/use-value-fixes";
import type { SecretHistoryResponse } from "@/lib/validations/audit-query";
import type { ProposalListResponse } from "@/lib/validations/proposal-list";
import type { SecretEventsResponse } from "@/lib/validations/secret-list-query";
import type { SecretKind } from "@/lib/validations/secret-record";
import type { ValueFixesResponse } from "@/lib/validations/value-fix";

/**
 * The secret page's section reads, started by its server render and streamed with it (each the body its
 * API route would answer): one request instead of five competing ones after a click, and no fetch after
 * hydration for a direct URL. `proposals` is null for kinds without pull requests.
 */
export type SecretSections = {
  events: Promise<SecretEventsResponse>;
  history: Promise<SecretHistoryResponse>;
  fixes: Promise<ValueFixesResponse>;
  proposals: Promise<ProposalListResponse> | null;
};

type Address = { cluster: string; namespace: string; kind: SecretKind; name: string };

/**
 * Puts the streamed sections in flight under the keys the sections' hooks use, so the hooks pick them
 * up instead of asking the API. Only where the cache has nothing yet: a section already read in this tab
 * keeps its own freshness rules. A section whose stream fails is asked from the API by its hook.
 */
export function seedSecretSections(
  queryClient: QueryClient,
  address: Address,
  sections: SecretSections,
): void {
  const { cluster, namespace, kind, name } = address;
  const unread = (queryKey: readonly unknown[]) => queryClient.getQueryState(queryKey) === undefined;
  const eventsKey = inventoryKeys.events(cluster, namespace, kind, name);
  if (unread(eventsKey))
    void queryClient.prefetchQuery({ queryKey: eventsKey, queryFn: () => sections.events });
  const historyKey = auditKeys.secretHistory(cluster, namespace, kind, name);
  if (unread(historyKey))
    void queryClient.prefetchInfiniteQuery({
      queryKey: historyKey,
      queryFn: () => sections.history,
      initialPageParam: undefined as string | undefined,
    });
  const fixesKey = valueFixKeys.secret(cluster, namespace, kind, name);
  if (unread(fixesKey)) void queryClient.prefetchQuery({ queryKey: fixesKey, queryFn: () => sections.fixes });
  const proposals = sections.proposals;
  const proposalsKey = proposalKeys.list({ cluster, namespace, name });
  if (proposals && unread(proposalsKey))
    void queryClient.prefetchQuery({ queryKey: proposalsKey, queryFn: () => proposals });
}

/**
 * Seeds once, during the first render: the sections' hooks (in this component and its children) subscribe
 * after it and would otherwise start their own requests.
 */
export function useSeedSecretSections(address: Address, sections: SecretSections | undefined): void {
  const queryClient = useQueryClient();
  useState(() => {
    if (sections) seedSecretSections(queryClient, address, sections);
  });
}
