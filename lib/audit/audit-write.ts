import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { auditEventInputSchema, type AuditEventInput, type ParsedAuditEventInput } from "./audit-event-input";

// What appendAuditEvent and the group-committing appender share: the client shape, validation, the one
// error a failed audit write becomes, and how to tell a refused statement from a lost connection.

/** A pg client, pool or Prisma (transaction) client: anything that can run one parameterised query. */
export type AuditSql =
  | { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> }
  | { $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> };

export type AppendedAuditEvent = { seq: string; time: string; hash: string };

/** True for the error appendAuditEvent throws: the caller must refuse its action. */
export function isAuditWriteError(error: unknown): error is AppError {
  return error instanceof AppError && error.details?.reason === "audit_write_failed";
}

export async function runAuditQuery(sql: AuditSql, text: string, values: unknown[]): Promise<unknown[]> {
  if ("$queryRawUnsafe" in sql) return sql.$queryRawUnsafe<unknown[]>(text, ...values);
  return (await sql.query(text, values)).rows;
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

/** The SQLSTATE the server answered with, from pg or from Prisma's pg adapter; undefined if it did not. */
export function serverSqlState(error: unknown): string | undefined {
  const direct = error as { code?: unknown; severity?: unknown } | null;
  if (
    typeof direct?.code === "string" &&
    typeof direct.severity === "string" &&
    /^[0-9A-Z]{5}$/.test(direct.code)
  )
    return direct.code;
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)
    ?.meta?.driverAdapterError?.cause;
  return typeof cause?.originalCode === "string" && /^[0-9A-Z]{5}$/.test(cause.originalCode)
    ? cause.originalCode
    : undefined;
}

/**
 * True when the server refused the statement itself (bad data, a constraint, a conflict), so it surely
 * rolled back and its events may be written again one by one. False for a lost connection, a shutting
 * down or overloaded server and internal errors: the statement may even have committed, so nothing is
 * retried and every caller is refused.
 */
export function statementWasRefused(error: unknown): boolean {
  const state = serverSqlState(error);
  if (!state) return false;
  return !["08", "53", "57", "58", "XX"].includes(state.slice(0, 2));
}

/** The error every failed audit write becomes: the caller must refuse its action. */
export function auditWriteFailed(error: unknown): AppError {
  if (isAuditWriteError(error)) return error;
  const pgCode = serverSqlState(error) ?? (error as { code?: unknown } | null)?.code;
  return new AppError("unavailable", "the audit log could not record this action, so it was refused", {
    reason: "audit_write_failed",
    ...(typeof pgCode === "string" ? { pgCode } : {}),
  });
}
