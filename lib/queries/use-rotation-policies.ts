"use client";

import { useQuery } from "@tanstack/react-query";
import type { RotationPoliciesResponse } from "@/lib/validations/rotation";
import { fetchJson, retryUnlessDenied } from "./fetch-json";
import { rotationKeys } from "./keys";

/** Stored policies and waivers (active and past), for the editors; everyone who sees the page sees them. */
export function useRotationPolicies() {
  return useQuery({
    queryKey: rotationKeys.policies(),
    queryFn: ({ signal }) => fetchJson<RotationPoliciesResponse>("/api/rotations/policies", signal),
    retry: retryUnlessDenied,
  });
}
