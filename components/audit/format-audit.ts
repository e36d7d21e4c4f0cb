import { formatTimestamp } from "@/components/ui/format-timestamp";
import type { AuditEventView } from "@/lib/validations/audit-query";

// Small display helpers shared by the Audit table, a secret's history and the event details.

/** One date format everywhere (UTC, zone named). */
export const formatTime = (iso: string) => formatTimestamp(iso);

/** cluster/namespace/name, leaving out what the event has not got. */
export function formatTarget(target: AuditEventView["target"]): string {
  const path = [target.cluster, target.namespace, target.name].filter(Boolean).join("/");
  return target.kind && path ? `${target.kind} ${path}` : path || target.kind || "—";
}

/**
 * One person written one way: their username, then their role when recorded ("ada (developer)");
 * Sealdeck's own processes by their name ("rotation watcher"), an unnamed one as "Sealdeck".
 */
export function formatActor(actor: Pick<AuditEventView["actor"], "name" | "userId" | "role">): string {
  const name = actor.name ?? actor.userId ?? "Sealdeck";
  return actor.role ? `${name} (${actor.role})` : name;
}
