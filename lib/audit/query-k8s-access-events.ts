import "server-only";
import type { K8sAccessEventView, K8sAccessPage, K8sAccessQuery } from "./k8s-access/k8s-access-query";

/** A Prisma client: the query is one parameterised SELECT. */
export type RawQuery = { $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> };

type Row = {
  id: string;
  cluster: string;
  audit_id: string;
  time: string;
  username: string | null;
  groups: string[];
  impersonated_user: string | null;
  verb: string;
  resource: string;
  subresource: string | null;
  api_group: string;
  namespace: string | null;
  name: string | null;
  source_ips: string[];
  user_agent: string | null;
  response_code: number | null;
};

/** Postgres' ISO form of a timestamptz with its microseconds (JavaScript dates stop at milliseconds). */
const TIME = `to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One page of the Kubernetes access history, newest first (by id: the order events arrived, which is
 * the API server's order within a cluster), filtered by cluster, namespace, name, resource, user
 * (username or impersonated user, substring), verb and time range. `cursor` is the previous page's
 * last id.
 */
export async function queryK8sAccessEvents(db: RawQuery, query: K8sAccessQuery): Promise<K8sAccessPage> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    where.push(clause(`$${values.length}`));
  };
  if (query.cluster) add((p) => `cluster = ${p}`, query.cluster);
  if (query.namespace) add((p) => `namespace = ${p}`, query.namespace);
  if (query.name) add((p) => `name = ${p}`, query.name);
  if (query.resource) add((p) => `resource = ${p}`, query.resource);
  if (query.verb) add((p) => `verb = ${p}`, query.verb);
  if (query.user) {
    const pattern = `%${query.user.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add((p) => `(username ILIKE ${p} OR impersonated_user ILIKE ${p})`, pattern);
  }
  if (query.from) add((p) => `time >= ${p}::timestamptz`, query.from);
  if (query.to) add((p) => `time < ${p}::timestamptz`, query.to);
  if (query.cursor) add((p) => `id < ${p}::bigint`, query.cursor);
  values.push(query.limit + 1);
  const sql = `SELECT id::text AS id, cluster, audit_id, ${TIME} AS time, username, groups, impersonated_user,
      verb, resource, subresource, api_group, namespace, name, source_ips, user_agent, response_code
    FROM k8s_access_events
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY id DESC
    LIMIT $${values.length}`;
  const rows = await db.$queryRawUnsafe<Row[]>(sql, ...values);
  const page = rows.slice(0, query.limit);
  const events: K8sAccessEventView[] = page.map((row) => ({
    id: row.id,
    cluster: row.cluster,
    auditId: row.audit_id,
    time: row.time,
    username: row.username,
    groups: row.groups,
    impersonatedUser: row.impersonated_user,
    verb: row.verb,
    resource: row.resource,
    subresource: row.subresource,
    apiGroup: row.api_group,
    namespace: row.namespace,
    name: row.name,
    sourceIps: row.source_ips,
    userAgent: row.user_agent,
    responseCode: row.response_code,
  }));
  return { events, nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}
