"use client";

import { type UrlFilterChanges, useUrlFilters } from "@/components/ui/use-url-filters";
import { auditFiltersSchema, type AuditFilters } from "@/lib/audit/audit-filters";
import { auditFilterKeys } from "@/lib/validations/audit-query";

export type AuditFilterKey = (typeof auditFilterKeys)[number];
export type AuditFilterChanges = UrlFilterChanges<AuditFilterKey>;

// Each value is checked on its own: an invalid one is dropped without losing the others.
function parseAuditFilters(raw: Partial<Record<AuditFilterKey, string>>): AuditFilters {
  const valid: Record<string, string> = {};
  for (const key of auditFilterKeys) {
    const value = raw[key];
    if (!value) continue;
    const parsed = auditFiltersSchema.shape[key].safeParse(value);
    if (parsed.success && parsed.data !== undefined) valid[key] = parsed.data;
  }
  return valid as AuditFilters;
}

/** The Audit page's filters live in the URL, so a view can be shared and survives a reload. */
export function useAuditFilters(): [AuditFilters, (changes: AuditFilterChanges) => void] {
  return useUrlFilters(auditFilterKeys, parseAuditFilters);
}
