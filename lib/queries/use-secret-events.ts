"use client";

import { useQuery } from "@tanstack/react-query";
import type { SecretEventsResponse } from "@/lib/validations/secret-list-query";
import type { SecretKind } from "@/lib/validations/secret-record";
import { fetchJson, retryUnlessDenied } from "./fetch-json";
import { inventoryKeys } from "./keys";
import { secretDetailUrl } from "./use-secret-detail";

/** A secret's recent Kubernetes Events, read from its cluster apart from the record (it may be slow). */
export function useSecretEvents(cluster: string, namespace: string, kind: SecretKind, name: string) {
  return useQuery({
    queryKey: inventoryKeys.events(cluster, namespace, kind, name),
    queryFn: ({ signal }) =>
      fetchJson<SecretEventsResponse>(`${secretDetailUrl(cluster, namespace, kind, name)}/events`, signal),
    retry: retryUnlessDenied,
    refetchOnWindowFocus: false,
  });
}
