import "server-only";
import type {
  EvidenceSources,
  GitKeyChangeEvidence,
  MergedProposalEvidence,
  ObservedRotationEvidence,
} from "./index-rotation-evidence";

// Reads the rotation evidence the database holds: the latest observed rotation of every key (with the
// pull request the watcher linked it to, from its "rotation.observed" audit event) and every merged
// proposal. Git history comes from rot-git's readGitKeyChanges(), passed in. A re-encryption (a row with
// `reencryption`: same value, newer key) is not a rotation, so the rotation before it stays the latest.

export type EvidenceDb = {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
};

// Latest rotation per key first (DISTINCT ON over the (…, id) index), then its audit event: written in
// the same transaction as the row, so at (nearly) the same time, naming the key.
const OBSERVED = `WITH latest AS (
  SELECT DISTINCT ON (cluster, kind, namespace, name, key)
    cluster, kind, namespace, name, key, observed_at
  FROM observed_rotations
  WHERE previous_hash IS NOT NULL AND NOT reencryption
  ORDER BY cluster, kind, namespace, name, key, id DESC
)
SELECT l.cluster, l.kind, l.namespace, l.name, l.key, l.observed_at AS "observedAt",
  a.pull_request_url AS "pullRequestUrl", a.number AS "pullRequestNumber"
FROM latest l
LEFT JOIN LATERAL (
  SELECT e.pull_request_url, (e.details->'pullRequest'->>'number')::int AS number
  FROM audit_events e
  WHERE e.target_cluster = l.cluster AND e.target_namespace = l.namespace AND e.target_name = l.name
    AND e.action = 'rotation.observed' AND e.time >= l.observed_at - interval '5 seconds'
    AND e.time <= l.observed_at + interval '5 minutes'
    AND (l.key = '' OR l.key = ANY(e.target_keys))
  ORDER BY e.seq
  LIMIT 1
) a ON true`;

// When a proposal turned merged, stateCheckedAt was set in that same update (transitionProposal): the
// closest time Sealdeck has to the merge itself. updated_at is the fallback for rows without it.
const MERGED = `SELECT namespace, name, clusters, keys, number, url, repository,
  requested_by_name AS "requestedByName", COALESCE(state_checked_at, updated_at) AS "mergedAt"
FROM proposals WHERE state = 'merged'`;

export async function loadRotationEvidence(
  db: EvidenceDb,
  readGitChanges: () => Promise<readonly GitKeyChangeEvidence[]>,
): Promise<EvidenceSources> {
  const [observed, mergedProposals, gitChanges] = await Promise.all([
    db.$queryRawUnsafe<ObservedRotationEvidence[]>(OBSERVED),
    db.$queryRawUnsafe<MergedProposalEvidence[]>(MERGED),
    readGitChanges(),
  ]);
  return { observed, mergedProposals, gitChanges };
}

/**
 * A cheap fingerprint of everything the schedule is computed from in the database: when it changes,
 * the cached schedule is rebuilt. Polled at most once a second per process.
 */
const VERSION = `SELECT concat_ws('|',
  (SELECT coalesce(max(id), 0)::text FROM observed_rotations),
  (SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') FROM proposals WHERE state = 'merged'),
  (SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') FROM rotation_policies),
  (SELECT count(*)::text || ':' || coalesce(max(greatest(created_at, revoked_at))::text, '') FROM rotation_waivers),
  (SELECT coalesce(string_agg(key || '@' || updated_at::text, ',' ORDER BY key), '') FROM settings
    WHERE key IN ('clusters', 'rotation.team-mapping', 'gitops.repositories')),
  (SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') FROM git_history_cursors)
) AS version`;

export async function readEvidenceVersion(db: EvidenceDb): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ version: string }[]>(VERSION);
  return rows[0]?.version ?? "";
}
