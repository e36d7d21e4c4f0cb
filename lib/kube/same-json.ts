import "server-only";

/**
 * Whether two JSON-shaped values (plain objects, arrays, strings, numbers, booleans, null) would
 * serialize to the same JSON, key order aside; an undefined property counts as absent, as in JSON.
 * The inventory compares each rebuilt record with the one it replaces this way: no digest or JSON of
 * 100,000 records is kept, and a plain walk costs a fraction of util.isDeepStrictEqual.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    const value = left[key];
    if (value === undefined) continue;
    count += 1;
    if (!sameJson(value, right[key])) return false;
  }
  for (const key in right) if (right[key] !== undefined) count -= 1;
  return count === 0;
}
