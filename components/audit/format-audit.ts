import type { AuditEventView } from "@/lib/validations/audit-query";

// Small display helpers shared by the Audit table and a secret's history.

export const formatTime = (iso: string) => new Date(iso).toLocaleString();

/** cluster/namespace/name, leaving out what the event has not got. */
export function formatTarget(target: AuditEventView["target"]): string {
  const path = [target.cluster, target.namespace, target.name].filter(Boolean).join("/");
  return target.kind && path ? `${target.kind} ${path}` : path || target.kind || "—";
}

export function formatActor(actor: AuditEventView["actor"]): string {
  const name = actor.name ?? actor.userId ?? "system";
  return actor.role ? `${name} (${actor.role})` : name;
}
