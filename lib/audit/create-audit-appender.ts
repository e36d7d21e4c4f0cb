import "server-only";
import type { AuditEventInput } from "./audit-event-input";
import {
  auditWriteFailed,
  parseAuditEventOrThrow,
  runAuditQuery,
  statementWasRefused,
  type AppendedAuditEvent,
  type AuditSql,
} from "./audit-write";

// Group commit. The chain lock is held until commit, so one event per transaction costs one WAL flush
// each, one after another (about 1 ÷ flush latency events per second, whatever the number of writers).
// Here the events queued while a batch is being written go into the next batch: one INSERT, one commit
// and one flush for all of them, each caller still waiting for its own durable event (or its own error)
// before it acts. appendAuditEvent routes every event that is not part of a caller's transaction here.

type Pending = {
  event: ReturnType<typeof parseAuditEventOrThrow>;
  resolve: (result: AppendedAuditEvent) => void;
  reject: (error: Error) => void;
};

// Rows in input order (ORDER BY n): the trigger numbers them in that order, so sorting the returned
// rows by seq maps them back to their callers.
const INSERT_BATCH = `INSERT INTO audit_events
  (actor_user_id, actor_name, actor_role, actor_ip, actor_user_agent, action,
   target_cluster, target_namespace, target_kind, target_name, target_keys,
   outcome, details, pull_request_url, request_id)
SELECT e->>'actorUserId', e->>'actorName', e->>'actorRole', e->>'actorIp', e->>'actorUserAgent', e->>'action',
  e->>'targetCluster', e->>'targetNamespace', e->>'targetKind', e->>'targetName',
  ARRAY(SELECT jsonb_array_elements_text(e->'targetKeys')), e->>'outcome', e->'details', e->>'pullRequestUrl', e->>'requestId'
FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS batch(e, n)
ORDER BY n
RETURNING seq::text AS seq, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time, encode(hash, 'hex') AS hash`;

export type AuditAppender = { append(input: AuditEventInput): Promise<AppendedAuditEvent> };

function toJson({ event: { actor, target, ...rest } }: Pending) {
  return {
    actorUserId: actor.userId ?? null,
    actorName: actor.name ?? null,
    actorRole: actor.role ?? null,
    actorIp: actor.ip ?? null,
    actorUserAgent: actor.userAgent ?? null,
    action: rest.action,
    targetCluster: target.cluster ?? null,
    targetNamespace: target.namespace ?? null,
    targetKind: target.kind ?? null,
    targetName: target.name ?? null,
    targetKeys: target.keys,
    outcome: rest.outcome,
    details: rest.details,
    pullRequestUrl: rest.pullRequestUrl ?? null,
    requestId: rest.requestId ?? null,
  };
}

/**
 * An appender over `sql` (a pool or a Prisma client: never a connection inside a transaction, since
 * each batch is one autocommit statement) that writes concurrently queued events in one statement, at
 * most maxBatch. Events reach the chain in the order append was called.
 */
export function createAuditAppender(sql: AuditSql, options: { maxBatch?: number } = {}): AuditAppender {
  const maxBatch = options.maxBatch ?? 256;
  const queue: Pending[] = [];
  let writing = false;

  async function insert(batch: Pending[]) {
    const rows = (await runAuditQuery(sql, INSERT_BATCH, [
      JSON.stringify(batch.map(toJson)),
    ])) as AppendedAuditEvent[];
    if (rows.length !== batch.length) throw new Error("the database returned a different number of events");
    rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
    batch.forEach((pending, i) => {
      const row = rows[i]!;
      pending.resolve({ seq: String(row.seq), time: row.time, hash: row.hash });
    });
  }

  async function write(batch: Pending[]) {
    try {
      await insert(batch);
    } catch (error) {
      if (batch.length === 1 || !statementWasRefused(error)) {
        const failure = auditWriteFailed(error);
        for (const pending of batch) pending.reject(failure);
        return;
      }
      // One event the database refuses (a NUL byte in a name, a constraint) must not refuse the others:
      // the statement surely rolled back, so each is written again alone, in order; only its own fails.
      for (const pending of batch) {
        try {
          await insert([pending]);
        } catch (single) {
          pending.reject(auditWriteFailed(single));
        }
      }
    }
  }

  async function drain() {
    writing = true;
    try {
      while (queue.length > 0) {
        // Callers whose events just committed usually append their next one at once: let them (and
        // everyone else resolved in this turn) queue before the batch is cut, or the next batch would
        // leave with the first few and the rest would wait a whole commit longer.
        await new Promise((resolve) => setImmediate(resolve));
        await write(queue.splice(0, maxBatch));
      }
    } finally {
      writing = false;
    }
  }

  return {
    append(input) {
      let event: Pending["event"];
      try {
        event = parseAuditEventOrThrow(input);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return new Promise<AppendedAuditEvent>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
