import { z } from "zod";

// The parts of the API server's audit.k8s.io/v1 EventList that Sealdeck keeps, read leniently: unknown
// fields are dropped (zod strips them), over-long strings are cut rather than refused, and one bad event
// does not lose the batch. `requestObject` and `responseObject` are never read: at RequestResponse
// level they hold a Secret's data.

/** The resources whose access is kept, by API group ("" = core). */
export const WATCHED_RESOURCES: Record<string, readonly string[]> = {
  "": ["secrets"],
  "bitnami.com": ["sealedsecrets"],
  "external-secrets.io": ["externalsecrets", "clusterexternalsecrets"],
};

/** The stages that carry the response code: one per request (Panic replaces ResponseComplete). */
export const KEPT_STAGES = ["ResponseComplete", "Panic"] as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text Postgres can store: no NUL, no lone surrogate (either would fail the whole batch's INSERT). */
export function storableText(value: string): string {
  return value.replaceAll("\u0000", "").replace(LONE_SURROGATE, "\uFFFD");
}

const cut = (max: number) => z.string().transform((value) => storableText(value).slice(0, max));
const required = (max: number) => z.string().transform(storableText).pipe(z.string().min(1).max(max));

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** The time as sent when it is a real RFC 3339 instant (JavaScript's Date.parse takes February 30). */
export function rfc3339(value: string | undefined): string | null {
  const match = value ? RFC3339.exec(value) : null;
  if (!match) return null;
  const zone = match[8]!;
  if (zone.length === 6 && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4)) > 59)) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    year >= 1970 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  return real ? value! : null;
}

const userInfo = z.object({
  username: cut(500).optional(),
  groups: z
    .array(cut(500))
    .transform((groups) => groups.slice(0, 200))
    .optional(),
});

/** One audit.k8s.io/v1 Event, as much of it as is kept. */
export const auditEventSchema = z.object({
  auditID: required(100),
  stage: z.enum(KEPT_STAGES),
  requestURI: cut(2000).optional(),
  verb: required(50),
  user: userInfo.optional(),
  impersonatedUser: userInfo.nullish(),
  sourceIPs: z
    .array(cut(100))
    .transform((ips) => ips.slice(0, 50))
    .optional(),
  userAgent: cut(500).optional(),
  objectRef: z.object({
    resource: required(100),
    subresource: cut(100).optional(),
    namespace: cut(253).optional(),
    name: cut(253).optional(),
    apiGroup: cut(253).optional(),
    apiVersion: cut(50).optional(),
  }),
  // An HTTP status; anything else (out of range for the column) is dropped rather than failing the batch.
  responseStatus: z
    .object({ code: z.number().optional().catch(undefined) })
    .nullish()
    .catch(undefined),
  requestReceivedTimestamp: z.string().optional(),
  stageTimestamp: z.string().optional(),
});

export type KubeAuditEvent = z.output<typeof auditEventSchema>;

/** The envelope. Items stay unknown here: each is filtered cheaply, then parsed on its own. */
export const eventListSchema = z.object({
  apiVersion: z.literal("audit.k8s.io/v1", "must be audit.k8s.io/v1").optional(),
  kind: z.literal("EventList", "must be EventList").optional(),
  items: z.array(z.unknown(), "must be the list of audit events"),
});

/** A row of k8s_access_events (column names in snake case, as the INSERT reads them). */
export type K8sAccessRow = {
  audit_id: string;
  stage: string;
  time: string;
  username: string | null;
  groups: string[];
  impersonated_user: string | null;
  verb: string;
  resource: string;
  subresource: string | null;
  api_group: string;
  api_version: string | null;
  namespace: string | null;
  name: string | null;
  source_ips: string[];
  user_agent: string | null;
  response_code: number | null;
  request_uri: string | null;
};

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Cheap test before parsing: does this item touch a watched resource at a kept stage? */
export function isWatchedAccess(item: unknown): boolean {
  const event = record(item);
  if (!event || !KEPT_STAGES.includes(event.stage as (typeof KEPT_STAGES)[number])) return false;
  const ref = record(event.objectRef);
  if (!ref || typeof ref.resource !== "string") return false;
  const group = typeof ref.apiGroup === "string" ? ref.apiGroup : "";
  return WATCHED_RESOURCES[group]?.includes(ref.resource) ?? false;
}

function httpStatus(code: number | undefined): number | null {
  return code !== undefined && Number.isInteger(code) && code >= 0 && code <= 999 ? code : null;
}

export function toAccessRow(event: KubeAuditEvent, receivedAt: Date): K8sAccessRow {
  const ref = event.objectRef;
  return {
    audit_id: event.auditID,
    stage: event.stage,
    // stageTimestamp keeps the microseconds; Postgres parses the RFC 3339 text itself.
    time:
      rfc3339(event.stageTimestamp) ?? rfc3339(event.requestReceivedTimestamp) ?? receivedAt.toISOString(),
    username: event.user?.username ?? null,
    groups: event.user?.groups ?? [],
    impersonated_user: event.impersonatedUser?.username ?? null,
    verb: event.verb,
    resource: ref.resource,
    subresource: ref.subresource || null,
    api_group: ref.apiGroup ?? "",
    api_version: ref.apiVersion || null,
    namespace: ref.namespace || null,
    name: ref.name || null,
    source_ips: event.sourceIPs ?? [],
    user_agent: event.userAgent || null,
    response_code: httpStatus(event.responseStatus?.code),
    request_uri: event.requestURI || null,
  };
}

export type SelectedEvents = {
  received: number;
  rows: K8sAccessRow[];
  /** Watched events that did not parse, and the first one's problem (a path and a rule, never a value). */
  invalid: number;
  firstProblem: string | null;
};

/** Keeps the watched events of a parsed EventList's items, one row per auditID. */
export function selectWatchedEvents(items: readonly unknown[], receivedAt = new Date()): SelectedEvents {
  const rows = new Map<string, K8sAccessRow>();
  let invalid = 0;
  let firstProblem: string | null = null;
  items.forEach((item, index) => {
    if (!isWatchedAccess(item)) return;
    const parsed = auditEventSchema.safeParse(item);
    if (!parsed.success) {
      invalid += 1;
      const issue = parsed.error.issues[0];
      firstProblem ??= `items.${index}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`;
      return;
    }
    rows.set(parsed.data.auditID, toAccessRow(parsed.data, receivedAt));
  });
  return { received: items.length, rows: [...rows.values()], invalid, firstProblem };
}
