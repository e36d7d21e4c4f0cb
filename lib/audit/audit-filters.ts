import { z } from "zod";
import { AUDIT_OUTCOMES } from "./audit-event-input";
import { clusterMatches } from "./cluster-matches";

// The auditor's filters, shared by the log view and exports. Each becomes a parameterised SQL condition
// over audit_events; an export records them in its manifest.

const text = z.string().trim().min(1).max(200);

export const auditFiltersSchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    actor: text.optional(),
    action: text.optional(),
    cluster: text.optional(),
    namespace: text.optional(),
    kind: text.optional(),
    name: text.optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    text: text.optional(),
  })
  .strict();

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** True when no filter narrows the rows: the result then holds every event in its range. */
export function isUnfiltered(filters: AuditFilters): boolean {
  return Object.values(filters).every((value) => value === undefined);
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** SQL conditions (joined with AND) and their parameters, numbered from $1. */
export function buildAuditWhere(filters: AuditFilters): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filters.from) conditions.push(`time >= ${param(filters.from)}::timestamptz`);
  if (filters.to) conditions.push(`time < ${param(filters.to)}::timestamptz`);
  if (filters.actor) {
    const p = param(filters.actor);
    conditions.push(`(actor_user_id = ${p} OR actor_name = ${p})`);
  }
  if (filters.action) {
    // An action or its family: "auth" matches "auth.sign_in", "secret.force_sync" its ".requested" too.
    const p = param(filters.action);
    const family = param(`${escapeLike(filters.action)}.%`);
    conditions.push(`(action = ${p} OR action LIKE ${family})`);
  }
  if (filters.cluster) conditions.push(clusterMatches(param(filters.cluster)));
  if (filters.namespace) conditions.push(`target_namespace = ${param(filters.namespace)}`);
  if (filters.kind) conditions.push(`target_kind = ${param(filters.kind)}`);
  if (filters.name) conditions.push(`target_name = ${param(filters.name)}`);
  if (filters.outcome) conditions.push(`outcome = ${param(filters.outcome)}`);
  if (filters.text) {
    const p = param(`%${escapeLike(filters.text)}%`);
    conditions.push(
      `(action ILIKE ${p} OR actor_name ILIKE ${p} OR target_name ILIKE ${p} OR target_namespace ILIKE ${p} OR details::text ILIKE ${p})`,
    );
  }
  return { where: conditions.length ? conditions.join(" AND ") : "TRUE", params };
}
