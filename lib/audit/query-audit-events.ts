import "server-only";
import type pg from "pg";
import type { AuditEventsResponse, AuditEventView } from "@/lib/validations/audit-query";
import { buildAuditWhere, type AuditFilters } from "./audit-filters";
import { clusterMatches } from "./cluster-matches";
import type { AuditRowQuery } from "./stream-audit-rows";

// One page of audit events, newest first, for the Audit page and a secret's history. The cursor is
// the last seq the previous page showed: seq is the chain's own order and never reused, so pages
// neither skip nor repeat events however many are appended meanwhile.

type Row = {
  seq: string;
  time: string;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_ip: string | null;
  actor_user_agent: string | null;
  action: string;
  target_cluster: string | null;
  target_namespace: string | null;
  target_kind: string | null;
  target_name: string | null;
  target_keys: string[] | null;
  outcome: AuditEventView["outcome"];
  details: Record<string, unknown>;
  pull_request_url: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
};

const SELECT = `SELECT seq::text AS seq,
  to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
  actor_user_id, actor_name, actor_role, actor_ip, actor_user_agent, action,
  target_cluster, target_namespace, target_kind, target_name, target_keys,
  outcome, details, pull_request_url, request_id,
  encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash
FROM audit_events`;

function toView(row: Row): AuditEventView {
  return {
    seq: row.seq,
    time: row.time,
    actor: {
      userId: row.actor_user_id,
      name: row.actor_name,
      role: row.actor_role,
      ip: row.actor_ip,
      userAgent: row.actor_user_agent,
    },
    action: row.action,
    target: {
      cluster: row.target_cluster,
      namespace: row.target_namespace,
      kind: row.target_kind,
      name: row.target_name,
      keys: row.target_keys ?? [],
    },
    outcome: row.outcome,
    details: row.details,
    pullRequestUrl: row.pull_request_url,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export type AuditPage = { cursor?: string; limit: number };

/** Events matching `query` (SQL over audit_events, $1... params), newest first, after `page.cursor`. */
export async function queryAuditRows(
  sql: pg.Pool | pg.ClientBase,
  query: AuditRowQuery,
  page: AuditPage,
): Promise<AuditEventsResponse> {
  const params = [...query.params];
  let where = `(${query.where})`;
  if (page.cursor) {
    params.push(page.cursor);
    where += ` AND seq < $${params.length}::bigint`;
  }
  // One more than asked: whether there is a next page, without a count.
  params.push(page.limit + 1);
  // By the column, not the text alias of the same name (which would sort "99" after "250").
  const { rows } = await sql.query<Row>(
    `${SELECT} WHERE ${where} ORDER BY audit_events.seq DESC LIMIT $${params.length}`,
    params,
  );
  const events = rows.slice(0, page.limit).map(toView);
  const nextCursor = rows.length > page.limit ? (events.at(-1)?.seq ?? null) : null;
  return { events, nextCursor };
}

/** The auditor's filters (audit-filters.ts), newest first. */
export function queryAuditEvents(
  sql: pg.Pool | pg.ClientBase,
  filters: AuditFilters,
  page: AuditPage,
): Promise<AuditEventsResponse> {
  return queryAuditRows(sql, buildAuditWhere(filters), page);
}

export type SecretAddress = { cluster: string; namespace: string | null; kind: string; name: string };

/**
 * Every event about one secret: its cluster, namespace (null for a cluster-scoped kind) and name, of
 * its kind or of no recorded kind. A change proposed for several clusters at once is recorded once with
 * no target cluster and the list in `details.clusters`: it belongs to each of those clusters' timelines.
 */
export function secretHistoryQuery(secret: SecretAddress): AuditRowQuery {
  const params: unknown[] = [secret.cluster, secret.name, secret.kind];
  const namespace =
    secret.namespace === null
      ? "target_namespace IS NULL"
      : `target_namespace = $${params.push(secret.namespace)}`;
  return {
    where: `${clusterMatches("$1")} AND ${namespace} AND target_name = $2 AND (target_kind = $3 OR target_kind IS NULL)`,
    params,
  };
}
