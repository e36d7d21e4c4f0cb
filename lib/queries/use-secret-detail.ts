"use client";

import { useQuery } from "@tanstack/react-query";
import type { SecretDetailResponse } from "@/lib/validations/secret-list-query";
import type { SecretKind } from "@/lib/validations/secret-record";
import { fetchJson, retryUnlessDenied } from "./fetch-json";
import { inventoryKeys } from "./keys";

export function secretDetailUrl(cluster: string, namespace: string, kind: SecretKind, name: string): string {
  return `/api/secrets/${[cluster, namespace, kind, name].map(encodeURIComponent).join("/")}`;
}

/**
 * One secret's record; kept current by the event stream (useSecretStream). `initial` is what the page's
 * server render read: shown at once (the query still refreshes it in the background, as a record cached
 * from an earlier visit may be older than the stream's events since then).
 */
export function useSecretDetail(
  cluster: string,
  namespace: string,
  kind: SecretKind,
  name: string,
  initial?: SecretDetailResponse | null,
) {
  return useQuery({
    queryKey: inventoryKeys.detail(cluster, namespace, kind, name),
    queryFn: ({ signal }) =>
      fetchJson<SecretDetailResponse>(secretDetailUrl(cluster, namespace, kind, name), signal),
    retry: retryUnlessDenied,
    refetchOnWindowFocus: false,
    ...(initial ? { initialData: initial } : {}),
  });
}
