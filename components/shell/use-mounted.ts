"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/** False during SSR and hydration, true after: for UI that depends on browser-only state (the theme). */
export function useMounted(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
