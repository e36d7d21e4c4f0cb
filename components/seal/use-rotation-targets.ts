"use client";

import { useQueries } from "@tanstack/react-query";
import { fetchJson, retryUnlessDenied } from "@/lib/queries/fetch-json";
import { inventoryKeys } from "@/lib/queries/keys";
import { secretDetailUrl } from "@/lib/queries/use-secret-detail";
import type { RotateRequest } from "@/lib/validations/seal-form";
import type { SecretDetailResponse } from "@/lib/validations/secret-list-query";
import type { SealingScope, SecretRecord } from "@/lib/validations/secret-record";

export type RotationTargets =
  | { status: "none" }
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; scope: SealingScope; type: string; records: SecretRecord[]; unknownKeys: string[] };

/** The SealedSecret being rotated, on each cluster: its scope and type come from what is there now. */
export function useRotationTargets(rotate: RotateRequest | null): RotationTargets {
  const clusters = rotate?.clusters ?? [];
  const results = useQueries({
    queries: clusters.map((cluster) => ({
      queryKey: inventoryKeys.detail(cluster, rotate?.namespace ?? "", "SealedSecret", rotate?.name ?? ""),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        fetchJson<SecretDetailResponse>(
          secretDetailUrl(cluster, rotate?.namespace ?? "", "SealedSecret", rotate?.name ?? ""),
          signal,
        ),
      retry: retryUnlessDenied,
      refetchOnWindowFocus: false,
    })),
  });
  if (!rotate) return { status: "none" };
  if (results.some((r) => r.isPending)) return { status: "loading" };
  const failed = results.findIndex((r) => r.isError);
  if (failed >= 0) {
    const error = results[failed]?.error;
    return {
      status: "error",
      message: `SealedSecret ${rotate.namespace}/${rotate.name} on ${clusters[failed]}: ${error instanceof Error ? error.message : "could not be loaded"}`,
    };
  }
  const records = results.map((r) => r.data!.record);
  const scopes = new Set(records.map((r) => r.scope ?? "strict"));
  if (scopes.size > 1)
    return {
      status: "error",
      message: `${rotate.namespace}/${rotate.name} is sealed in different scopes on ${clusters.join(", ")}; rotate it on each cluster separately.`,
    };
  const first = records[0]!;
  return {
    status: "ready",
    scope: first.scope ?? "strict",
    type: first.type ?? "Opaque",
    records,
    unknownKeys: rotate.keys.filter((key) => !records.every((r) => r.keys.includes(key))),
  };
}
