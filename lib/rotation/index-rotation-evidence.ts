import { evidenceKinds, type RotationEvidence } from "@/lib/validations/rotation";

// Every source of "when was this key last rotated", merged into one lookup: the most recent evidence
// per key wins, and at the same instant the stronger kind (observed before pull request before commit).
// Pure: loading the rows is load-rotation-evidence.ts; the schedule looks each key up here.

/** A rotation the cluster watch saw (observed_rotations with a previous value), and its pull request. */
export type ObservedRotationEvidence = {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  /** "" for an ExternalSecret target as a whole. */
  key: string;
  observedAt: Date;
  pullRequestUrl: string | null;
  pullRequestNumber: number | null;
};

/** A merged Sealdeck proposal; it changed `keys` of namespace/name on each of `clusters`. */
export type MergedProposalEvidence = {
  namespace: string;
  name: string;
  clusters: string[];
  keys: string[];
  number: number;
  url: string;
  repository: string;
  requestedByName: string;
  mergedAt: Date;
};

/** The last commit of the GitOps repository that changed `encryptedData.<key>` (rot-git's readGitKeyChanges). */
export type GitKeyChangeEvidence = {
  repository: string;
  /** null when the repository's folder does not say which cluster: the change counts on every cluster. */
  cluster: string | null;
  namespace: string;
  name: string;
  key: string;
  commit: string;
  committedAt: string | Date;
  author: string;
  path: string;
  url: string | null;
};

export type EvidenceSources = {
  observed: readonly ObservedRotationEvidence[];
  mergedProposals: readonly MergedProposalEvidence[];
  gitChanges: readonly GitKeyChangeEvidence[];
};

type Candidate = { evidence: RotationEvidence; atMs: number; rank: number };

/** Best evidence per `cluster\0kind\0namespace\0name\0key` ("*" as cluster: any cluster). */
export type EvidenceIndex = ReadonlyMap<string, Candidate>;

const ANY_CLUSTER = "*";
const rankOf = (kind: RotationEvidence["kind"]) => evidenceKinds.indexOf(kind);
const webUrl = (url: string | null | undefined) => (url && /^https?:\/\//.test(url) ? url : null);

export function evidenceKey(
  cluster: string,
  kind: string,
  namespace: string | null,
  name: string,
  key: string,
): string {
  return `${cluster}\u0000${kind}\u0000${namespace ?? ""}\u0000${name}\u0000${key}`;
}

const better = (a: Candidate, b: Candidate | undefined) =>
  !b || a.atMs > b.atMs || (a.atMs === b.atMs && a.rank < b.rank);

function offer(index: Map<string, Candidate>, key: string, evidence: RotationEvidence) {
  const atMs = Date.parse(evidence.at);
  if (Number.isNaN(atMs)) return;
  const candidate = { evidence, atMs, rank: rankOf(evidence.kind) };
  if (better(candidate, index.get(key))) index.set(key, candidate);
}

export function indexEvidence(sources: EvidenceSources): EvidenceIndex {
  const index = new Map<string, Candidate>();
  for (const o of sources.observed) {
    const external = o.kind !== "SealedSecret";
    const pull = o.pullRequestNumber !== null ? ` from pull request #${o.pullRequestNumber}` : "";
    offer(index, evidenceKey(o.cluster, o.kind, o.namespace, o.name, o.key), {
      kind: external ? "external-sync" : "observed",
      at: o.observedAt.toISOString(),
      description: external
        ? "the synced Secret's data changed (ESO data-hash), seen by the cluster watch"
        : `new ciphertext seen in the cluster${pull}`,
      url: webUrl(o.pullRequestUrl),
    });
  }
  for (const p of sources.mergedProposals) {
    const evidence: RotationEvidence = {
      kind: "pull-request",
      at: p.mergedAt.toISOString(),
      description: `merged pull request${p.number > 0 ? ` #${p.number}` : ""} in ${p.repository} by ${p.requestedByName}`,
      url: webUrl(p.url),
    };
    for (const cluster of p.clusters)
      for (const key of p.keys)
        offer(index, evidenceKey(cluster, "SealedSecret", p.namespace, p.name, key), evidence);
  }
  for (const g of sources.gitChanges) {
    const at = typeof g.committedAt === "string" ? g.committedAt : g.committedAt.toISOString();
    offer(index, evidenceKey(g.cluster ?? ANY_CLUSTER, "SealedSecret", g.namespace, g.name, g.key), {
      kind: "git-commit",
      at: new Date(at).toISOString(),
      description: `commit ${g.commit.slice(0, 7)} in ${g.repository} by ${g.author} (${g.path})`,
      url: webUrl(g.url),
    });
  }
  return index;
}

/** The best evidence for one key, or null when nothing but the object's creation is known. */
export function findEvidence(
  index: EvidenceIndex,
  cluster: string,
  kind: string,
  namespace: string | null,
  name: string,
  key: string,
): RotationEvidence | null {
  if (index.size === 0) return null;
  const own = index.get(evidenceKey(cluster, kind, namespace, name, key));
  const any = index.get(evidenceKey(ANY_CLUSTER, kind, namespace, name, key));
  const best = own && any ? (better(own, any) ? own : any) : (own ?? any);
  return best?.evidence ?? null;
}
