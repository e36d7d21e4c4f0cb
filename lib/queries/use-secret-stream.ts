"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { SecretDetailResponse, SecretStreamEvent } from "@/lib/validations/secret-list-query";
import { applyEventToDetail, applyEventToList, type ListData } from "./apply-stream-event";
import { inventoryKeys } from "./keys";

export type StreamState = "connecting" | "live" | "reconnecting";

/**
 * Subscribes to `/api/secrets/events` and merges every change into the cached lists and details
 * (setQueryData), so open pages update without a reload: a new record is placed by each list's own sort
 * and filters, without asking the server again. After a reconnect the lists are refetched: events sent
 * while disconnected are gone.
 */
export function useSecretStream(): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>("connecting");
  useEffect(() => {
    const source = new EventSource("/api/secrets/events");
    let opened = false;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    // After a reconnect (events were missed): lists and details refetched once, 250 ms later.
    const refetchLists = () => {
      refetchTimer ??= setTimeout(() => {
        refetchTimer = undefined;
        void queryClient.invalidateQueries({ queryKey: inventoryKeys.lists() });
        void queryClient.invalidateQueries({ queryKey: inventoryKeys.details() });
      }, 250);
    };
    const onEvent = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as SecretStreamEvent;
      // Each list places the change itself (its sort and filters are in its key): no refetch.
      for (const [key, data] of queryClient.getQueriesData<ListData>({ queryKey: inventoryKeys.lists() })) {
        const filters = inventoryKeys.filtersOf(key);
        if (!filters) {
          refetchLists();
          continue;
        }
        const next = applyEventToList(data, event, filters);
        if (next !== data) queryClient.setQueryData(key, next);
      }
      queryClient.setQueriesData<SecretDetailResponse>({ queryKey: inventoryKeys.details() }, (data) =>
        applyEventToDetail(data, event),
      );
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
