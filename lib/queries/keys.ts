import type { RotationFilters } from "./rotation-urls";
import type { SecretFilters } from "@/lib/validations/secret-list-query";
import type { SecretKind } from "@/lib/validations/secret-record";

// Every React Query key of the inventory is built here, so invalidation by prefix cannot miss one:
// ['k8s'] → everything; ['k8s', 'list'] → every list; ['k8s', 'detail', …] → one secret.
export const inventoryKeys = {
  all: ["k8s"] as const,
  lists: () => ["k8s", "list"] as const,
  list: (filters: SecretFilters) =>
    ["k8s", "list", filters.cluster ?? "*", filters.kind ?? "*", filters.namespace ?? "*", filters] as const,
  /** The filters a list key was built with (null for a key of another shape). */
  filtersOf: (key: readonly unknown[]): SecretFilters | null => {
    const filters = key[5];
    return key[1] === "list" && typeof filters === "object" && filters !== null
      ? (filters as SecretFilters)
      : null;
  },
  details: () => ["k8s", "detail"] as const,
  detail: (cluster: string, namespace: string, kind: SecretKind, name: string) =>
    ["k8s", "detail", cluster, kind, namespace, name] as const,
  /** Kubernetes Events of one secret (not under "detail": stream events never patch them). */
  events: (cluster: string, namespace: string, kind: SecretKind, name: string) =>
    ["k8s", "events", cluster, kind, namespace, name] as const,
};

// ['rotations'] → everything of the Rotations page (a policy or waiver change invalidates it all).
export const rotationKeys = {
  all: ["rotations"] as const,
  list: (filters: RotationFilters) => ["rotations", "list", filters] as const,
  summary: (filters: RotationFilters) => ["rotations", "summary", filters] as const,
  policies: () => ["rotations", "policies"] as const,
};
