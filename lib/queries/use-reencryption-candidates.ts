"use client";

import { useQuery } from "@tanstack/react-query";

import type { ReencryptionCandidates } from "@/lib/validations/reencryption";

import { fetchJson, retryUnlessDenied } from "./fetch-json";

export const reencryptionKeys = {
  all: ["reencryption"] as const,
  cluster: (cluster: string) => ["reencryption", cluster] as const,
};

/** A cluster's SealedSecrets sealed with an older key than its controller's newest (Settings → Clusters). */
export function useReencryptionCandidates(cluster: string) {
  return useQuery({
    queryKey: reencryptionKeys.cluster(cluster),
    queryFn: ({ signal }) =>
      fetchJson<ReencryptionCandidates>(`/api/clusters/${encodeURIComponent(cluster)}/reencryption`, signal),
    retry: retryUnlessDenied,
    staleTime: 30_000,
  });
}
