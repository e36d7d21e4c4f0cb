import { z } from "zod";
import type { AUDIT_OUTCOMES } from "@/lib/audit/audit-event-input";
import { auditFiltersSchema, type AuditFilters } from "@/lib/audit/audit-filters";

// Query strings of the audit routes and the shapes they answer with, shared by the route handlers and
// the Audit page (which keeps the same filters in its own URL). Isomorphic: no server import here.

/** The filters the Audit page keeps in its URL, in the order its filter bar shows them. */
export const auditFilterKeys = [
  "from",
  "to",
  "actor",
  "action",
  "outcome",
  "cluster",
  "namespace",
  "kind",
  "name",
  "text",
] as const satisfies readonly (keyof AuditFilters)[];

export const auditExportFormats = ["csv", "ndjson", "json"] as const;
export type AuditExportFormat = (typeof auditExportFormats)[number];

export const AUDIT_PAGE_LIMIT_MAX = 200;

/** `GET /api/audit/events`: the filters, newest first from `cursor` (exclusive) on. */
export const auditEventsQuerySchema = auditFiltersSchema.extend({
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,18}$/, "must be an event number")
    .optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_LIMIT_MAX).default(100),
});

/** `GET /api/audit/export`: the filters, a format, and optionally the id the browser picked for it. */
export const auditExportQuerySchema = auditFiltersSchema.extend({
  format: z.enum(auditExportFormats, { message: "must be csv, ndjson or json" }),
  exportId: z.uuid({ message: "must be a UUID" }).optional(),
});

/** `GET /api/secrets/.../history`: a page of one secret's audit events. */
export const secretHistoryQuerySchema = z
  .object({
    cursor: auditEventsQuerySchema.shape.cursor,
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/** URL search params as an object for a schema: a cleared field ("") counts as absent. */
export function searchParamsObject(params: URLSearchParams): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [key, value] of params) if (value.trim() !== "") object[key] = value;
  return object;
}

/** Only the filters of a parsed query (what narrows the rows; what an export's manifest records). */
export function pickAuditFilters(query: Record<string, unknown>): AuditFilters {
  const filters: Record<string, unknown> = {};
  for (const key of auditFilterKeys) if (query[key] !== undefined) filters[key] = query[key];
  return filters as AuditFilters;
}

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One audit event as the API returns it; hashes are hex. */
export type AuditEventView = {
  seq: string;
  time: string;
  actor: {
    userId: string | null;
    name: string | null;
    role: string | null;
    ip: string | null;
    userAgent: string | null;
  };
  action: string;
  target: {
    cluster: string | null;
    namespace: string | null;
    kind: string | null;
    name: string | null;
    keys: string[];
  };
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  pullRequestUrl: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
};

export type AuditEventsResponse = { events: AuditEventView[]; nextCursor: string | null };

/** `GET /api/audit/chain`: the live chain's verification, for the Audit page's badge. */
export type ChainStatusResponse = {
  ok: boolean;
  checkedAt: string;
  /** "full": from the first event; "incremental": from the last position verified in this process. */
  mode: "full" | "incremental";
  /** The newest event verified (null for an empty log). */
  verified: { seq: string; hash: string } | null;
  /** The newest checkpoint signed by this server's key (other rows are not believed). */
  checkpoint: {
    seq: string;
    createdAt: string;
    headTime: string | null;
    keyId: string;
    signatureOk: boolean;
    reason: string | null;
  } | null;
  /** Checkpoint rows newer than `checkpoint` whose signature does not verify with this server's key: ignored. */
  untrustedCheckpoints: number;
  broken: { seq: string | null; kind: string; message: string } | null;
};

/** Kubernetes API-server access to the secret (from the audit webhook), when that is recorded. */
export type K8sAccessEventView = {
  id: string;
  time: string;
  user: string;
  verb: string;
  sourceIps: string[];
  userAgent: string | null;
  responseCode: number | null;
};

export type SecretHistoryResponse = AuditEventsResponse;
