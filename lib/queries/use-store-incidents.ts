"use client";

import { useQuery } from "@tanstack/react-query";
import type { StoreIncidentsResponse } from "@/lib/validations/store-incidents";
import { fetchJson, retryUnlessDenied } from "./fetch-json";

// ['recovery', 'stores'] → the unreachable stores section.
export const recoveryKeys = {
  all: ["recovery"] as const,
  stores: () => ["recovery", "stores"] as const,
};

/** The inventory's watch sees a store fail within seconds; the section re-reads it this often. */
export const STORE_INCIDENTS_POLL_MS = 15_000;

/** Secret stores that are not Ready, with their dependants by deadline, polled. */
export function useStoreIncidents() {
  return useQuery({
    queryKey: recoveryKeys.stores(),
    queryFn: ({ signal }) => fetchJson<StoreIncidentsResponse>("/api/recovery/stores", signal),
    retry: retryUnlessDenied,
    refetchInterval: STORE_INCIDENTS_POLL_MS,
  });
}
