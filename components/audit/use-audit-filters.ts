"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { auditFiltersSchema, type AuditFilters } from "@/lib/audit/audit-filters";
import { auditFilterKeys } from "@/lib/validations/audit-query";

export type AuditFilterKey = (typeof auditFilterKeys)[number];
export type AuditFilterChanges = Partial<Record<AuditFilterKey, string | undefined>>;

/**
 * The Audit page's filters live in the URL, so a view can be shared and survives a reload. Each value
 * is checked on its own: an invalid one is dropped without losing the others.
 */
export function useAuditFilters(): [AuditFilters, (changes: AuditFilterChanges) => void] {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo<AuditFilters>(() => {
    const valid: Record<string, string> = {};
    for (const key of auditFilterKeys) {
      const value = searchParams.get(key);
      if (!value) continue;
      const parsed = auditFiltersSchema.shape[key].safeParse(value);
      if (parsed.success && parsed.data !== undefined) valid[key] = parsed.data;
    }
    return valid as AuditFilters;
  }, [searchParams]);
  const update = useCallback(
    (changes: AuditFilterChanges) => {
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
