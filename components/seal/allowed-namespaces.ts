export type NamespaceRef = { cluster: string; namespace: string };

/**
 * The namespaces the user may seal into on every chosen cluster: `any` when a grant (or the role) covers
 * all of them, else the names every chosen cluster grants. The server authorizes again regardless.
 */
export function allowedNamespaces(
  clusters: readonly string[],
  grants: readonly NamespaceRef[],
  known: readonly NamespaceRef[],
): { any: boolean; names: string[] } {
  let any = true;
  let names: Set<string> | undefined;
  const suggestions = new Set<string>();
  for (const cluster of clusters) {
    const applicable = grants.filter((g) => g.cluster === "*" || g.cluster === cluster);
    if (applicable.some((g) => g.namespace === "*")) {
      for (const k of known) if (k.cluster === cluster) suggestions.add(k.namespace);
      continue;
    }
    any = false;
    const granted = new Set(applicable.map((g) => g.namespace));
    names = names ? new Set([...names].filter((n) => granted.has(n))) : granted;
  }
  if (clusters.length === 0) {
    // Nothing chosen yet: offer what any grant names, so the field is not empty.
    const concrete = grants.filter((g) => g.namespace !== "*").map((g) => g.namespace);
    const wildcard = grants.some((g) => g.namespace === "*");
    return {
      any: wildcard,
      names: [...new Set([...concrete, ...(wildcard ? known.map((k) => k.namespace) : [])])].sort(),
    };
  }
  return { any, names: [...(any ? suggestions : (names ?? new Set<string>()))].sort() };
}
