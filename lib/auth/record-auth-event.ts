import "server-only";
import { appendAuditEvent, type AuditSql } from "@/lib/audit/append-audit-event";

// The single place where sign-in and access-control events enter the audit log (lib/audit, hash-chained).
// It fails closed like every audited mutation: when the event cannot be written this throws, and the
// caller must not go on (pass the caller's transaction as `sql` to record and act atomically).
// Never pass a password, token or session id; an attempted username is only recorded when it exists.

export type AuthEventType =
  | "auth.sign-in"
  | "auth.sign-in-failed"
  | "auth.sign-out"
  | "auth.password-changed"
  | "auth.password-reset"
  | "auth.user-created"
  | "auth.role-changed"
  | "auth.grant-added"
  | "auth.grant-removed"
  | "auth.sessions-revoked";

export type AuthEvent = {
  type: AuthEventType;
  /** Who did it (username), or null for an anonymous attempt or the system (group mapping). */
  actor: string | null;
  /** The actor's user id, when the actor is a signed-in (or signing-in) user. */
  actorUserId?: string;
  actorRole?: string;
  /** Whom it concerns (username), when not only the actor. */
  subject?: string;
  /** The client address, for sign-in events. */
  ip?: string;
  /** The acting request's client (address and user agent), for events a signed-in person causes. */
  client?: { ip: string | null; userAgent: string | null };
  details?: Record<string, string | number | boolean | null>;
};

export async function recordAuthEvent(sql: AuditSql, event: AuthEvent): Promise<void> {
  const { cluster, namespace, ...details } = event.details ?? {};
  await appendAuditEvent(sql, {
    // The audit log names actions in dotted snake case: auth.sign_in_failed.
    action: event.type.replaceAll("-", "_"),
    outcome: event.type === "auth.sign-in-failed" ? "failure" : "success",
    actor: {
      userId: event.actorUserId ?? null,
      name: event.actor,
      role: event.actorRole ?? null,
      ip: event.ip ?? event.client?.ip ?? null,
      userAgent: event.client?.userAgent ?? null,
    },
    target: {
      kind: event.subject ? "User" : null,
      name: event.subject ?? null,
      cluster: typeof cluster === "string" ? cluster : null,
      namespace: typeof namespace === "string" ? namespace : null,
    },
    details,
  });
}
