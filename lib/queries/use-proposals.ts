"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ProposalListResponse, ProposalState } from "@/lib/validations/proposal-list";
import { fetchJson, retryUnlessDenied } from "./fetch-json";

export type ProposalFilter = {
  state?: ProposalState;
  /** One secret's proposals: cluster, namespace and name together. */
  cluster?: string;
  namespace?: string;
  name?: string;
};

// ['proposals'] → every proposal list (the seal form invalidates it after proposing).
export const proposalKeys = {
  all: ["proposals"] as const,
  list: (filter: ProposalFilter) => ["proposals", "list", filter] as const,
};

/** How often open pull requests are re-read; the server asks the Git host at most every 30 s. */
export const PROPOSALS_POLL_MS = 15_000;

export function proposalsUrl(filter: ProposalFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `/api/proposals?${query}` : "/api/proposals";
}

/** Sealdeck's pull requests, polled so merges and closes show up without a reload. */
export function useProposals(filter: ProposalFilter) {
  return useQuery({
    queryKey: proposalKeys.list(filter),
    queryFn: ({ signal }) => fetchJson<ProposalListResponse>(proposalsUrl(filter), signal),
    retry: retryUnlessDenied,
    refetchInterval: PROPOSALS_POLL_MS,
    placeholderData: keepPreviousData,
  });
}
