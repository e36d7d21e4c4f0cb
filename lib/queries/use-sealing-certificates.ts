"use client";

import { useQueries } from "@tanstack/react-query";
import { isSealingError, loadSealingKey, type SealingKey } from "@/lib/sealing";
import type { SealingCertificateResponse } from "@/lib/validations/proposal";
import { fetchJson, retryUnlessDenied } from "./fetch-json";

export type ClusterCertificate = {
  cluster: string;
  response: SealingCertificateResponse;
  /** The imported key to seal with; the PEM is parsed in the page, so its fingerprint is our own. */
  key: SealingKey;
  /** Whole days until it expires, counted when it was fetched (negative once expired). */
  daysLeft: number;
};

export type ClusterCertificateState =
  | { cluster: string; status: "loading" }
  | { cluster: string; status: "error"; message: string }
  | { cluster: string; status: "ready"; certificate: ClusterCertificate };

export const sealingCertificateKeys = {
  all: ["sealing", "cluster-certificate"] as const,
  cluster: (cluster: string) => ["sealing", "cluster-certificate", cluster] as const,
};

export function certificateUrl(cluster: string): string {
  return `/api/clusters/${encodeURIComponent(cluster)}/certificate`;
}

async function loadClusterCertificate(cluster: string, signal: AbortSignal): Promise<ClusterCertificate> {
  const response = await fetchJson<SealingCertificateResponse>(certificateUrl(cluster), signal);
  // An expired certificate still seals (the controller keeps every key); the form warns about it.
  const key = await loadSealingKey(response.pem, { allowExpired: true });
  if (key.certificate.fingerprintSha256 !== response.fingerprintSha256.toLowerCase())
    throw new Error(`The certificate served for ${cluster} does not match its announced fingerprint.`);
  const daysLeft = Math.floor((key.certificate.notAfter.getTime() - Date.now()) / 86_400_000);
  return { cluster, response, key, daysLeft };
}

/** Each cluster's sealing certificate from the server, parsed and imported in the browser. */
export function useSealingCertificates(clusters: readonly string[]): ClusterCertificateState[] {
  const results = useQueries({
    queries: clusters.map((cluster) => ({
      queryKey: sealingCertificateKeys.cluster(cluster),
      queryFn: ({ signal }: { signal: AbortSignal }) => loadClusterCertificate(cluster, signal),
      retry: retryUnlessDenied,
      // A certificate changes rarely; re-checking each minute still catches a renewal during a long edit.
      staleTime: 60_000,
      refetchOnWindowFocus: true,
    })),
  });
  return clusters.map((cluster, index): ClusterCertificateState => {
    const result = results[index];
    if (!result || result.isPending) return { cluster, status: "loading" };
    if (result.isError) {
      const error = result.error;
      const message =
        isSealingError(error) || error instanceof Error
          ? error.message
          : "The certificate could not be read.";
      return { cluster, status: "error", message };
    }
    return { cluster, status: "ready", certificate: result.data };
  });
}
