import type { ChainedAuditEvent } from "./canonical-encoding";

// The one SELECT list that turns an audit_events row into the text the chain hashes. Every value is
// rendered by Postgres as text (time in the encoding's format, details as jsonb text, keys as a JSON
// array, hashes as hex), so readers need no type parsing and exports reproduce the hashed bytes.
// Shared by export, database verification and the CLI (no server-only).

/** Column names of an export, in the canonical field order (CSV header, NDJSON/JSON keys map to these). */
export const AUDIT_EXPORT_COLUMNS = [
  "seq",
  "time",
  "actor_user_id",
  "actor_name",
  "actor_role",
  "actor_ip",
  "actor_user_agent",
  "action",
  "target_cluster",
  "target_namespace",
  "target_kind",
  "target_name",
  "target_keys",
  "outcome",
  "details",
  "pull_request_url",
  "request_id",
  "prev_hash",
  "hash",
] as const;

/** SELECT list in AUDIT_EXPORT_COLUMNS order; `target_keys` comes as JSON array text. */
export const AUDIT_SELECT_LIST = `seq::text AS seq,
  to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
  actor_user_id, actor_name, actor_role, actor_ip, actor_user_agent, action,
  target_cluster, target_namespace, target_kind, target_name,
  to_json(coalesce(target_keys, ARRAY[]::text[]))::text AS target_keys,
  outcome, details::text AS details, pull_request_url, request_id,
  encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash`;

/** A row as text in AUDIT_EXPORT_COLUMNS order (pg `rowMode: "array"` with raw text parsing). */
export type AuditTextRow = (string | null)[];

/** Parses a JSON array of strings (the `target_keys` column); throws on anything else. */
export function parseKeyList(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    throw new Error("target_keys is not a JSON array of strings");
  }
  return value;
}

/** Converts a text row to the chain's event shape; throws when a required field is missing. */
export function textRowToEvent(row: AuditTextRow): ChainedAuditEvent {
  const required = (index: number) => {
    const value = row[index];
    if (value === null || value === undefined) throw new Error(`${AUDIT_EXPORT_COLUMNS[index]} is missing`);
    return value;
  };
  const optional = (index: number) => row[index] ?? null;
  return {
    seq: required(0),
    time: required(1),
    actorUserId: optional(2),
    actorName: optional(3),
    actorRole: optional(4),
    actorIp: optional(5),
    actorUserAgent: optional(6),
    action: required(7),
    targetCluster: optional(8),
    targetNamespace: optional(9),
    targetKind: optional(10),
    targetName: optional(11),
    targetKeys: parseKeyList(required(12)),
    outcome: required(13),
    details: required(14),
    pullRequestUrl: optional(15),
    requestId: optional(16),
    prevHash: required(17),
    hash: required(18),
  };
}

/** The inverse of textRowToEvent. */
export function eventToTextRow(event: ChainedAuditEvent): AuditTextRow {
  return [
    event.seq,
    event.time,
    event.actorUserId,
    event.actorName,
    event.actorRole,
    event.actorIp,
    event.actorUserAgent,
    event.action,
    event.targetCluster,
    event.targetNamespace,
    event.targetKind,
    event.targetName,
    JSON.stringify(event.targetKeys),
    event.outcome,
    event.details,
    event.pullRequestUrl,
    event.requestId,
    event.prevHash,
    event.hash,
  ];
}
