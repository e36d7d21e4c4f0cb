import "server-only";
import { appendAuditEvent } from "./append-audit-event";

// "rotation.observed": a key of a SealedSecret now holds another ciphertext, or an ExternalSecret's
// target Secret another data-hash. The watchers (lib/kube/rotation-watcher.ts) report every value they
// see here; this decides, in Postgres, which of them are news.
//
// observed_rotations holds each distinct value per key (a SHA-256, never the value), unique on
// (cluster, kind, namespace, name, key, value_hash). Every observation is an INSERT ... ON CONFLICT DO
// NOTHING; only the transaction whose insert took the row records the audit event, in that same
// transaction. So however many replicas watch, one event per new value:
// - the first sighting of a key (no earlier row) is a baseline: a row, no event. The first start of
//   Sealdeck, a new secret and a new key are all baselines;
// - a value that differs from the key's latest row is a rotation: a row and an event naming the previous
//   value. A change made while every replica was down is recorded at the next start, when the list
//   shows a value the table has not seen (the event's time is when it was observed; its details say
//   since when the previous value was known);
// - a value seen before (a replica whose watch lags, a relist, a restart) conflicts and is ignored.
// The same unique key means a key changed back to a value it held before (a byte-for-byte revert of
// a manifest) is not recorded again: SealedSecret ciphertexts are randomised, so resealing even the
// same plaintext gives a new value, but a reverted ExternalSecret source value is not seen twice.
//
// A SealedSecret ciphertext that Sealdeck's re-encryption wrote (the watcher saw it listed in the
// object's `sealdeck.io/reencryption` marker) is not a rotation: the value did not change, only the key
// that seals it. Its row is kept (the next value's previous value, exactly-once) with `reencryption`
// true, which the Rotations evidence skips, and the event is "secret.reencryption.observed".

export type RotationKind = "SealedSecret" | "ExternalSecret";

/** The sealing key move of a re-encrypted ciphertext (hex SHA-256 of each key's SPKI). */
export type Reencryption = { from: string | null; to: string };

export type ValueObservation = {
  cluster: string;
  kind: RotationKind;
  namespace: string;
  name: string;
  /** The key whose value this is; "" for a whole secret (ExternalSecret targets). */
  key: string;
  /** Hex SHA-256 of the value's public form (a ciphertext; an ESO data-hash): never a secret value. */
  valueHash: string;
  resourceVersion?: string | null;
  /** The key names the audit event names: [key] by default; an ExternalSecret's target keys. */
  keys?: string[];
  /** Set when this ciphertext is the one a re-encryption wrote: a re-encryption, not a rotation. */
  reencryption?: Reencryption;
};

export type ObservedRotation = {
  id: string;
  cluster: string;
  kind: RotationKind;
  namespace: string;
  name: string;
  key: string;
  valueHash: string;
  previousHash: string;
  auditSeq: string;
  pullRequestUrl: string | null;
};

export type ObserveResult = {
  baselines: number;
  rotations: ObservedRotation[];
  /** New values that were re-encryptions ("secret.reencryption.observed"), not rotations. */
  reencryptions: ObservedRotation[];
  known: number;
};

/** What observeValues needs of a Prisma client: interactive transactions and raw SQL. */
export type RotationDb = {
  $transaction<T>(
    fn: (tx: RotationTx) => Promise<T>,
    options?: { timeout?: number; maxWait?: number },
  ): Promise<T>;
};
export type RotationTx = {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
};

/** The actor of every rotation.observed (and secret.reencryption.observed) event: the cluster watch. */
export const ROTATION_WATCHER_ACTOR = "sealdeck:rotation-watcher";

const HASH = /^[0-9a-f]{64}$/;

// Previous value looked up before the insert, in the statement's own snapshot; rows go in sorted order
// so two replicas inserting overlapping batches wait for each other instead of deadlocking.
const INSERT = `WITH input AS (
  SELECT i.*, p.value_hash AS previous_hash, p.observed_at AS previous_observed_at
  FROM jsonb_to_recordset($1::jsonb) AS i(ord int, cluster text, kind text, namespace text, name text,
    key text, value_hash text, resource_version text, reencryption boolean)
  LEFT JOIN LATERAL (
    SELECT o.value_hash, o.observed_at FROM observed_rotations o
    WHERE o.cluster = i.cluster AND o.kind = i.kind AND o.namespace = i.namespace AND o.name = i.name
      AND o.key = i.key
    ORDER BY o.id DESC LIMIT 1
  ) p ON true
), inserted AS (
  INSERT INTO observed_rotations (cluster, kind, namespace, name, key, value_hash, previous_hash, resource_version,
    reencryption)
  SELECT cluster, kind, namespace, name, key, value_hash, previous_hash, resource_version, reencryption
  FROM input ORDER BY ord
  ON CONFLICT (cluster, kind, namespace, name, key, value_hash) DO NOTHING
  RETURNING id, cluster, kind, namespace, name, key, value_hash, previous_hash
)
SELECT ins.id::text AS id, input.ord, ins.previous_hash,
  to_char(input.previous_observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS previous_observed_at
FROM inserted ins JOIN input USING (cluster, kind, namespace, name, key, value_hash)
ORDER BY input.ord`;

// The pull request that most plausibly caused the change: same secret, this cluster, this key, merged
// (or still open: its merge may not have been polled yet), and touched after the previous value was
// first seen (a pull request merged before that caused an earlier value). The newest such.
const FIND_PROPOSAL = `SELECT url, number, state, repository FROM proposals
WHERE namespace = $1 AND name = $2 AND $3 = ANY(clusters) AND state IN ('merged', 'open')
  AND ($4 = '' OR $4 = ANY(keys))
  AND ($5::timestamptz IS NULL OR updated_at >= $5::timestamptz)
ORDER BY created_at DESC
LIMIT 1`;

type InsertedRow = {
  id: string;
  ord: number;
  previous_hash: string | null;
  previous_observed_at: string | null;
};
type ProposalRow = { url: string; number: number; state: string; repository: string };

const identity = (o: ValueObservation) => [o.cluster, o.kind, o.namespace, o.name, o.key].join("\u0000");
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Records what the watchers saw: baselines for first sightings, a "rotation.observed" audit event for
 * each new value of a known key, in one transaction per chunk (an event that cannot be written rolls
 * its rows back, so the watcher retries the whole chunk). Idempotent and safe across replicas.
 */
export async function observeValues(
  db: RotationDb,
  observations: readonly ValueObservation[],
  options: { chunkSize?: number } = {},
): Promise<ObserveResult> {
  const byValue = new Map<string, ValueObservation>();
  for (const o of observations) {
    if (!HASH.test(o.valueHash)) throw new Error("valueHash must be a hex SHA-256");
    if (
      o.reencryption &&
      (!HASH.test(o.reencryption.to) || (o.reencryption.from !== null && !HASH.test(o.reencryption.from)))
    )
      throw new Error("a re-encryption names its keys by hex SHA-256");
    byValue.set(`${identity(o)}\u0000${o.valueHash}`, o);
  }
  const sorted = [...byValue.entries()].sort(([a], [b]) => compare(a, b)).map(([, o]) => o);
  const result: ObserveResult = { baselines: 0, rotations: [], reencryptions: [], known: 0 };
  const chunkSize = options.chunkSize ?? 500;
  for (let start = 0; start < sorted.length; start += chunkSize) {
    const chunk = sorted.slice(start, start + chunkSize);
    const part = await db.$transaction((tx) => observeChunk(tx, chunk), { timeout: 60_000, maxWait: 30_000 });
    result.baselines += part.baselines;
    result.known += part.known;
    result.rotations.push(...part.rotations);
    result.reencryptions.push(...part.reencryptions);
  }
  return result;
}

async function observeChunk(tx: RotationTx, chunk: ValueObservation[]): Promise<ObserveResult> {
  const input = chunk.map((o, ord) => ({
    ord,
    cluster: o.cluster,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    key: o.key,
    value_hash: o.valueHash,
    resource_version: o.resourceVersion ?? null,
    reencryption: o.kind === "SealedSecret" && o.reencryption !== undefined,
  }));
  const rows = await tx.$queryRawUnsafe<InsertedRow[]>(INSERT, JSON.stringify(input));
  const result: ObserveResult = {
    baselines: 0,
    rotations: [],
    reencryptions: [],
    known: chunk.length - rows.length,
  };
  const changed: { row: InsertedRow; observation: ValueObservation; proposal: ProposalRow | undefined }[] =
    [];
  for (const row of rows) {
    if (row.previous_hash === null) {
      result.baselines += 1;
      continue;
    }
    const observation = chunk[row.ord]!;
    // A re-encryption's pull request is not a proposal of a value: no proposal explains it.
    if (reencryptionOf(observation)) {
      changed.push({ row, observation, proposal: undefined });
      continue;
    }
    const [proposal] = await tx.$queryRawUnsafe<ProposalRow[]>(
      FIND_PROPOSAL,
      observation.namespace,
      observation.name,
      observation.cluster,
      observation.key,
      row.previous_observed_at,
    );
    changed.push({ row, observation, proposal });
  }
  // The audit events last: the chain's lock is held from the first append until this transaction ends.
  for (const { row, observation: o, proposal } of changed) {
    const webUrl = proposal && /^https?:\/\//.test(proposal.url) ? proposal.url : null;
    const reencryption = reencryptionOf(o);
    const appended = await appendAuditEvent(tx, {
      actor: { name: ROTATION_WATCHER_ACTOR },
      action: reencryption ? "secret.reencryption.observed" : "rotation.observed",
      target: {
        cluster: o.cluster,
        namespace: o.namespace,
        kind: o.kind,
        name: o.name,
        keys: o.keys ?? (o.key ? [o.key] : []),
      },
      outcome: "success",
      pullRequestUrl: webUrl,
      details: {
        source: o.kind === "SealedSecret" ? "encryptedData" : "reconcile.external-secrets.io/data-hash",
        // A ciphertext's SHA-256 lets an auditor find the manifest in Git (`printf %s VALUE | sha256sum`);
        // an ESO data-hash is an unsalted hash of the data itself, so it is not repeated here.
        ...(o.kind === "SealedSecret"
          ? { ciphertextSha256: o.valueHash, previousCiphertextSha256: row.previous_hash }
          : {}),
        ...(reencryption ? { previousKey: reencryption.from, newKey: reencryption.to } : {}),
        previousValueSince: row.previous_observed_at,
        resourceVersion: o.resourceVersion ?? null,
        ...(proposal
          ? {
              pullRequest: {
                repository: proposal.repository,
                number: proposal.number,
                state: proposal.state,
                ...(webUrl ? {} : { location: proposal.url.slice(0, 500) }),
              },
            }
          : {}),
      },
    });
    (reencryption ? result.reencryptions : result.rotations).push({
      id: row.id,
      cluster: o.cluster,
      kind: o.kind,
      namespace: o.namespace,
      name: o.name,
      key: o.key,
      valueHash: o.valueHash,
      previousHash: row.previous_hash!,
      auditSeq: appended.seq,
      pullRequestUrl: webUrl,
    });
  }
  return result;
}

/** The key move when this is a SealedSecret ciphertext a re-encryption wrote, else undefined. */
const reencryptionOf = (o: ValueObservation): Reencryption | undefined =>
  o.kind === "SealedSecret" ? o.reencryption : undefined;
