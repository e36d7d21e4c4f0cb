"use client";

import { useQuery } from "@tanstack/react-query";
import type { RecoveryResponse } from "@/lib/validations/recovery";
import { fetchJson, retryUnlessDenied } from "./fetch-json";

// ['recovery'] → every recovery list (incidents now; campaigns hang below it).
export const recoveryKeys = {
  all: ["recovery"] as const,
  incidents: ["recovery", "incidents"] as const,
};

/** An incident changes as the cluster reports each SealedSecret; the inventory behind it is live. */
export const RECOVERY_POLL_MS = 10_000;

export function useRecoveryIncidents() {
  return useQuery({
    queryKey: recoveryKeys.incidents,
    queryFn: ({ signal }) => fetchJson<RecoveryResponse>("/api/recovery", signal),
    retry: retryUnlessDenied,
    refetchInterval: RECOVERY_POLL_MS,
  });
}
