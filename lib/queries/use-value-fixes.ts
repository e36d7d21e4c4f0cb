"use client";

import { useQuery } from "@tanstack/react-query";
import type { ValueFixesResponse } from "@/lib/validations/value-fix";
import { fetchJson, retryUnlessDenied } from "./fetch-json";

export const valueFixKeys = {
  secret: (cluster: string, namespace: string, kind: string, name: string) =>
    ["value-fixes", cluster, namespace, kind, name] as const,
};

export function valueFixesUrl(cluster: string, namespace: string, kind: string, name: string): string {
  return `/api/secrets/${[cluster, namespace, kind, name].map(encodeURIComponent).join("/")}/fixes`;
}

const finished = new Set(["restarted", "failed", "cancelled"]);

/** The secret's latest "Fix a value" runs; polled while one is under way (the job moves it on). */
export function useValueFixes(cluster: string, namespace: string, kind: string, name: string) {
  return useQuery({
    queryKey: valueFixKeys.secret(cluster, namespace, kind, name),
    queryFn: ({ signal }) =>
      fetchJson<ValueFixesResponse>(valueFixesUrl(cluster, namespace, kind, name), signal),
    retry: retryUnlessDenied,
    refetchOnWindowFocus: false,
    refetchInterval: (query) =>
      query.state.data?.fixes.some((fix) => !finished.has(fix.state)) ? 3_000 : false,
  });
}
