"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { type SecretFilters, secretListQuerySchema } from "@/lib/validations/secret-list-query";

const filterKeys = ["cluster", "namespace", "kind", "health", "scope", "text", "sort", "order"] as const;

/** The Secrets page's filters live in the URL (shareable, back-button friendly); invalid ones are dropped. */
export function useSecretFilters(): [
  SecretFilters,
  (changes: Partial<Record<keyof SecretFilters, string | undefined>>) => void,
] {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo<SecretFilters>(() => {
    const raw: Record<string, string> = {};
    for (const key of filterKeys) {
      const value = searchParams.get(key);
      if (value) raw[key] = value;
    }
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
  }, [searchParams]);
  const update = useCallback(
    (changes: Partial<Record<keyof SecretFilters, string | undefined>>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [router, pathname, searchParams],
  );
  return [filters, update];
}
