import "server-only";
import type { AuditEventInput } from "./audit-event-input";
import {
  auditWriteFailed,
  parseAuditEventOrThrow,
  runAuditQuery,
  type AppendedAuditEvent,
  type AuditSql,
} from "./audit-write";
import { createAuditAppender, type AuditAppender } from "./create-audit-appender";

export {
  auditWriteFailed,
  isAuditWriteError,
  parseAuditEventOrThrow,
  type AppendedAuditEvent,
  type AuditSql,
} from "./audit-write";

// Writes one audit event. The database assigns seq, time, prev_hash and hash in the same INSERT (the
// audit_events_chain trigger). Given a connection or a Prisma transaction client, the event commits or
// rolls back with the caller's transaction: pass the transaction's client to record an action's state
// and its audit event together (the trigger holds the chain's lock until that transaction ends, so
// append as late in it as the action allows). Given a pool or the app's Prisma client, there is no
// caller's transaction to join: the event is group-committed with the others queued at that moment
// (create-audit-appender.ts), which is what lets the audit-first path of every mutation overlap its
// WAL flushes instead of taking them one after another under the chain lock.

const INSERT = `INSERT INTO audit_events
  (actor_user_id, actor_name, actor_role, actor_ip, actor_user_agent, action,
   target_cluster, target_namespace, target_kind, target_name, target_keys,
   outcome, details, pull_request_url, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], $12, $13::jsonb, $14, $15)
RETURNING seq::text AS seq, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
  encode(hash, 'hex') AS hash`;

// One appender per pool or Prisma client, on globalThis: Next bundles this module more than once
// (instrumentation, routes, actions), and every copy must feed the same queue for that client.
const globalForAppenders = globalThis as unknown as {
  sealdeckAuditAppenders?: WeakMap<object, AuditAppender>;
};

/**
 * A pool (each query commits on its own connection) or a root Prisma client (a transaction client has
 * no $disconnect): nothing the caller does can share a transaction with the event.
 */
export function isOutsideTransaction(sql: AuditSql): boolean {
  if ("$queryRawUnsafe" in sql) return "$disconnect" in sql;
  const pool = sql as { totalCount?: unknown; idleCount?: unknown; release?: unknown };
  return (
    typeof pool.totalCount === "number" && typeof pool.idleCount === "number" && pool.release === undefined
  );
}

/** The group-committing appender every appendAuditEvent on this pool or client shares. */
export function sharedAuditAppender(sql: AuditSql): AuditAppender {
  const appenders = (globalForAppenders.sealdeckAuditAppenders ??= new WeakMap());
  let appender = appenders.get(sql);
  if (!appender) {
    appender = createAuditAppender(sql);
    appenders.set(sql, appender);
  }
  return appender;
}

/**
 * Validates and appends one event; fails closed. Resolves only once the event is committed (in the
 * caller's transaction when `sql` is one). Throws AppError `unprocessable` when the input is invalid
 * (e.g. details that may hold a secret value) and AppError `unavailable` (see isAuditWriteError) when
 * the database does not take it: either way the caller must not act.
 */
export async function appendAuditEvent(sql: AuditSql, input: AuditEventInput): Promise<AppendedAuditEvent> {
  if (isOutsideTransaction(sql)) return sharedAuditAppender(sql).append(input);
  const { actor, target, ...event } = parseAuditEventOrThrow(input);
  const values = [
    actor.userId ?? null,
    actor.name ?? null,
    actor.role ?? null,
    actor.ip ?? null,
    actor.userAgent ?? null,
    event.action,
    target.cluster ?? null,
    target.namespace ?? null,
    target.kind ?? null,
    target.name ?? null,
    target.keys,
    event.outcome,
    JSON.stringify(event.details),
    event.pullRequestUrl ?? null,
    event.requestId ?? null,
  ];
  let rows: unknown[];
  try {
    rows = await runAuditQuery(sql, INSERT, values);
  } catch (error) {
    throw auditWriteFailed(error);
  }
  const row = rows[0] as AppendedAuditEvent | undefined;
  if (!row) throw auditWriteFailed(new Error("no row returned"));
  return { seq: String(row.seq), time: row.time, hash: row.hash };
}
