"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { RotationSummary } from "@/lib/validations/rotation";
import { fetchJson, retryUnlessDenied } from "./fetch-json";
import { rotationKeys } from "./keys";
import { type RotationFilters, rotationSummaryUrl } from "./rotation-urls";

/** The charts' data under the page's filters (status and sort do not change it). */
export function useRotationSummary(filters: RotationFilters) {
  const chartFilters = { ...filters, status: undefined, sort: "status", order: "asc" } as const;
  return useQuery({
    queryKey: rotationKeys.summary(chartFilters),
    queryFn: ({ signal }) => fetchJson<RotationSummary>(rotationSummaryUrl(chartFilters), signal),
    retry: retryUnlessDenied,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}
