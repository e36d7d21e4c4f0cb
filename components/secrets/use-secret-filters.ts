"use client";

import { type UrlFilterChanges, useUrlFilters } from "@/components/ui/use-url-filters";
import { type SecretFilters, secretListQuerySchema } from "@/lib/validations/secret-list-query";

const filterKeys = ["cluster", "namespace", "kind", "health", "scope", "text", "sort", "order"] as const;

// The values are checked together: if any is invalid, all fall back to the defaults (no filter, by health).
function parseSecretFilters(raw: Partial<Record<(typeof filterKeys)[number], string>>): SecretFilters {
  const parsed = secretListQuerySchema.safeParse(raw);
  const value = parsed.success ? parsed.data : secretListQuerySchema.parse({});
  return {
    cluster: value.cluster,
    namespace: value.namespace,
    kind: value.kind,
    health: value.health,
    scope: value.scope,
    text: value.text,
    sort: value.sort,
    order: value.order,
  };
}

/** The Secrets page's filters live in the URL (shareable, back-button friendly). */
export function useSecretFilters(): [
  SecretFilters,
  (changes: UrlFilterChanges<keyof SecretFilters>) => void,
] {
  return useUrlFilters(filterKeys, parseSecretFilters);
}
