"use client";

import { useQuery } from "@tanstack/react-query";
import { locateProposalFiles } from "@/lib/gitops/actions/locate-proposal-files";
import type { LocateProposalFilesResult } from "@/lib/validations/proposal";

export type ManifestLocation =
  | { status: "none" }
  | { status: "loading" }
  | { status: "error"; message: string; retry: () => void }
  | { status: "ready"; repository: string; files: LocateProposalFilesResult["files"] };

/**
 * Where a secret's manifest is in Git on each cluster, asked as soon as the form knows the secret (a
 * rotation: on opening), so a secret Git does not hold is found before any value is typed.
 */
export function useManifestLocation(
  target: { clusters: readonly string[]; namespace: string; name: string } | null,
): ManifestLocation {
  const query = useQuery({
    queryKey: [
      "gitops",
      "locate",
      target?.clusters.join(",") ?? "",
      target?.namespace ?? "",
      target?.name ?? "",
    ],
    queryFn: async () => {
      const result = await locateProposalFiles({
        namespace: target!.namespace,
        name: target!.name,
        clusters: [...target!.clusters],
      });
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    enabled: target !== null && target.clusters.length > 0,
    retry: false,
    refetchOnWindowFocus: false,
    staleTime: 30_000,
  });
  if (!target || target.clusters.length === 0) return { status: "none" };
  if (query.isPending) return { status: "loading" };
  if (query.isError)
    return {
      status: "error",
      message: query.error instanceof Error ? query.error.message : "Git could not be read.",
      retry: () => void query.refetch(),
    };
  return { status: "ready", repository: query.data.repository, files: query.data.files };
}
