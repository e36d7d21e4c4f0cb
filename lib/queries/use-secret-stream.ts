"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { SecretDetailResponse, SecretStreamEvent } from "@/lib/validations/secret-list-query";
import { applyEventToDetail, applyEventToList, type ListData } from "./apply-stream-event";
import { inventoryKeys } from "./keys";

export type StreamState = "connecting" | "live" | "reconnecting";

/**
 * Subscribes to `/api/secrets/events` and merges every change into the cached lists and details
 * (setQueryData), so open pages update without a reload. After a reconnect the lists are refetched:
 * events sent while disconnected are gone.
 */
export function useSecretStream(): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>("connecting");
  useEffect(() => {
    const source = new EventSource("/api/secrets/events");
    let opened = false;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    // One refetch at most 250 ms after the first event that needs it, gathering the rest of the burst
    // (a new SealedSecret brings several events as it is unsealed). Not a debounce that each event
    // restarts: under steady churn that would keep postponing the new row.
    const refetchLists = () => {
      refetchTimer ??= setTimeout(() => {
        refetchTimer = undefined;
        void queryClient.invalidateQueries({ queryKey: inventoryKeys.lists() });
      }, 250);
    };
    const onEvent = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as SecretStreamEvent;
      let needsRefetch = false;
      for (const [key, data] of queryClient.getQueriesData<ListData>({ queryKey: inventoryKeys.lists() })) {
        const next = applyEventToList(data, event);
        if (next === "refetch") needsRefetch = true;
        else if (next !== data) queryClient.setQueryData(key, next);
      }
      queryClient.setQueriesData<SecretDetailResponse>({ queryKey: inventoryKeys.details() }, (data) =>
        applyEventToDetail(data, event),
      );
      if (needsRefetch) refetchLists();
    };
    source.addEventListener("ready", () => {
      if (opened) refetchLists();
      opened = true;
      setState("live");
    });
    for (const type of ["upsert", "delete", "cluster"])
      source.addEventListener(type, onEvent as EventListener);
    source.onerror = () => setState("reconnecting");
    return () => {
      clearTimeout(refetchTimer);
      source.close();
    };
  }, [queryClient]);
  return state;
}
