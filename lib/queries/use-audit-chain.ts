"use client";

import { useQuery } from "@tanstack/react-query";
import type { ChainStatusResponse } from "@/lib/validations/audit-query";
import { fetchJson, retryUnlessDenied } from "./fetch-json";
import { auditKeys } from "./use-audit-events";

/** The live chain's verification (the server caches it briefly); refreshed every minute. */
export function useAuditChain() {
  return useQuery({
    queryKey: auditKeys.chain(),
    queryFn: ({ signal }) => fetchJson<ChainStatusResponse>("/api/audit/chain", signal),
    retry: retryUnlessDenied,
    refetchInterval: 60_000,
    refetchOnWindowFocus: false,
  });
}
