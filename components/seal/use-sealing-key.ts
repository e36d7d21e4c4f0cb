"use client";

import { useQuery } from "@tanstack/react-query";
import { isSealingError, loadSealingKey, type SealingKey } from "@/lib/sealing";

export type SealingKeyState =
  | { status: "empty" }
  | { status: "loading" }
  | { status: "ready"; key: SealingKey }
  | { status: "error"; message: string; expired: boolean };

/**
 * Parses a pasted or uploaded controller certificate in the browser; nothing is sent anywhere. React
 * Query only memoizes the parse (a certificate is public), so re-typing the same PEM is instant.
 */
export function useSealingKey(pem: string, allowExpired: boolean): SealingKeyState {
  const query = useQuery({
    queryKey: ["sealing", "certificate", pem.trim(), allowExpired],
    queryFn: () => loadSealingKey(pem, { allowExpired }),
    enabled: pem.trim() !== "",
    retry: false,
    staleTime: Infinity,
  });
  if (pem.trim() === "") return { status: "empty" };
  if (query.isPending) return { status: "loading" };
  if (query.isError) {
    const error = query.error;
    const expired =
      isSealingError(error, "certificate-expired") || isSealingError(error, "certificate-not-yet-valid");
    return {
      status: "error",
      message: isSealingError(error) ? error.message : "This certificate could not be read.",
      expired,
    };
  }
  return { status: "ready", key: query.data };
}
