"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

export type UrlFilterChanges<K extends string> = Partial<Record<K, string | undefined>>;

/**
 * A page's filters kept in its URL query (shareable, survive a reload, back-button friendly): the Secrets,
 * Audit and Changes pages. `keys` are the parameters read (empty ones are absent); `parse` turns them into
 * the page's filters and decides what to do with invalid values. Both must be stable (module constants).
 * The update sets each given key, removes it when empty, and replaces the URL without scrolling.
 */
export function useUrlFilters<K extends string, T>(
  keys: readonly K[],
  parse: (raw: Partial<Record<K, string>>) => T,
): [T, (changes: UrlFilterChanges<K>) => void] {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => {
    const raw: Partial<Record<K, string>> = {};
    for (const key of keys) {
      const value = searchParams.get(key);
      if (value) raw[key] = value;
    }
    return parse(raw);
  }, [searchParams, keys, parse]);
  const update = useCallback(
    (changes: UrlFilterChanges<K>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const key of Object.keys(changes) as K[]) {
        const value = changes[key];
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

/** The change that removes every one of `keys` from the URL (a "Clear filters" button). */
export function clearedFilters<K extends string>(keys: readonly K[]): UrlFilterChanges<K> {
  return Object.fromEntries(keys.map((key) => [key, undefined])) as UrlFilterChanges<K>;
}
