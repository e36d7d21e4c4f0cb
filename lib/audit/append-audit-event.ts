import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { auditEventInputSchema, type AuditEventInput, type ParsedAuditEventInput } from "./audit-event-input";

// Writes one audit event. The database assigns seq, time, prev_hash and hash in the same INSERT (the
// audit_events_chain trigger), so the event commits or rolls back with the caller's transaction: pass
// the transaction's client to record an action's state and its audit event together. The trigger holds
// the chain's lock until that transaction ends, so append as late in it as the action allows.

/** A pg client, pool or Prisma (transaction) client: anything that can run one parameterised query. */
export type AuditSql =
  | { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> }
  | { $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> };

export type AppendedAuditEvent = { seq: string; time: string; hash: string };

const INSERT = `INSERT INTO audit_events
  (actor_user_id, actor_name, actor_role, actor_ip, actor_user_agent, action,
   target_cluster, target_namespace, target_kind, target_name, target_keys,
   outcome, details, pull_request_url, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], $12, $13::jsonb, $14, $15)
RETURNING seq::text AS seq, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
  encode(hash, 'hex') AS hash`;

/** True for the error appendAuditEvent throws: the caller must refuse its action. */
export function isAuditWriteError(error: unknown): error is AppError {
  return error instanceof AppError && error.details?.reason === "audit_write_failed";
}

async function run(sql: AuditSql, values: unknown[]): Promise<unknown[]> {
  if ("$queryRawUnsafe" in sql) return sql.$queryRawUnsafe<unknown[]>(INSERT, ...values);
  return (await sql.query(INSERT, values)).rows;
}

/** Validates an event for insertion; throws AppError `unprocessable` (an audit write error) when invalid. */
export function parseAuditEventOrThrow(input: AuditEventInput): ParsedAuditEventInput {
  const parsed = auditEventInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  // zod's messages name the path and the rule, never the rejected value.
  const where = issue ? `${issue.path.join(".") || "event"}: ${issue.message}` : "invalid";
  throw new AppError("unprocessable", `audit event refused (${where}); the action was not performed`, {
    reason: "audit_write_failed",
  });
}

/** The error every failed audit write becomes: the caller must refuse its action. */
export function auditWriteFailed(error: unknown): AppError {
  if (isAuditWriteError(error)) return error;
  const pgCode = (error as { code?: unknown } | null)?.code;
  return new AppError("unavailable", "the audit log could not record this action, so it was refused", {
    reason: "audit_write_failed",
    ...(typeof pgCode === "string" ? { pgCode } : {}),
  });
}

/**
 * Validates and appends one event; fails closed. Throws AppError `unprocessable` when the input is
 * invalid (e.g. details that may hold a secret value) and AppError `unavailable` (see
 * isAuditWriteError) when the database does not take it: either way the caller must not act.
 */
export async function appendAuditEvent(sql: AuditSql, input: AuditEventInput): Promise<AppendedAuditEvent> {
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
    rows = await run(sql, values);
  } catch (error) {
    throw auditWriteFailed(error);
  }
  const row = rows[0] as AppendedAuditEvent | undefined;
  if (!row) throw auditWriteFailed(new Error("no row returned"));
  return { seq: String(row.seq), time: row.time, hash: row.hash };
}
