import "server-only";

/** Files named after the secret first, then files that look like sealed-secret manifests. */
export function rankCandidates(
  paths: readonly string[],
  input: { name: string; namespace: string; limit: number },
): string[] {
  const score = (path: string) =>
    (path.includes(input.name) ? 4 : 0) +
    (/seal/i.test(path) ? 2 : 0) +
    (input.namespace && path.includes(input.namespace) ? 1 : 0);
  return [...paths].sort((a, b) => score(b) - score(a) || a.localeCompare(b)).slice(0, input.limit);
}
