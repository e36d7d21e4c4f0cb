import "server-only";
import type { K8sAccessRow } from "./audit-event-list";

/** A Prisma client (or transaction client): the webhook writes with one raw statement. */
export type RawSql = { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> };

// One INSERT per batch, however many events: the rows travel as one jsonb parameter and
// jsonb_to_recordset turns them into a row set. (cluster, audit_id) is unique, so a batch the API server
// retries after a timeout inserts nothing twice.
const INSERT = `INSERT INTO k8s_access_events
  (cluster, audit_id, stage, time, username, groups, impersonated_user, verb, resource, subresource,
   api_group, api_version, namespace, name, source_ips, user_agent, response_code, request_uri)
SELECT $1, e.audit_id, e.stage, e.time, e.username,
  ARRAY(SELECT jsonb_array_elements_text(e.groups)), e.impersonated_user, e.verb, e.resource, e.subresource,
  e.api_group, e.api_version, e.namespace, e.name,
  ARRAY(SELECT jsonb_array_elements_text(e.source_ips)), e.user_agent, e.response_code, e.request_uri
FROM jsonb_to_recordset($2::jsonb) AS e(
  audit_id text, stage text, time timestamptz, username text, groups jsonb, impersonated_user text,
  verb text, resource text, subresource text, api_group text, api_version text, namespace text,
  name text, source_ips jsonb, user_agent text, response_code int, request_uri text)
ON CONFLICT (cluster, audit_id) DO NOTHING`;

/** Inserts the rows of one webhook batch; returns how many were new. */
export async function insertK8sAccessEvents(
  db: RawSql,
  cluster: string,
  rows: readonly K8sAccessRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(INSERT, cluster, JSON.stringify(rows));
}
