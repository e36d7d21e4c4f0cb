// An event concerns a cluster when it names it as its target, or when it was recorded once for several
// clusters (a proposal sealed for two clusters has no single target cluster) and lists it in
// `details.clusters`. Shared by the Audit page's cluster filter, exports and a secret's timeline.

/** SQL condition over audit_events: the event concerns the cluster bound to `param` (e.g. "$1"). */
export function clusterMatches(param: string): string {
  return `(target_cluster = ${param} OR (target_cluster IS NULL AND jsonb_typeof(details->'clusters') = 'array' AND details->'clusters' ? ${param}::text))`;
}
