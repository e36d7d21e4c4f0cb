import { z } from "zod";
import type { ClusterStatus, ClusterWarning } from "./cluster-status";
import {
  type HealthStatus,
  healthStatuses,
  type SecretRecord,
  sealingScopes,
  secretKinds,
} from "./secret-record";

// URL search params arrive as "" when a filter is cleared; treat that as absent.
const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);
const name = z.preprocess(blankToUndefined, z.string().trim().min(1).max(253).optional());

export const secretSortFields = ["health", "name", "namespace", "cluster", "kind", "created"] as const;
export type SecretSortField = (typeof secretSortFields)[number];

/** `GET /api/secrets` query: filters, sorting and a cursor. Shared by the route and the Secrets page URL. */
export const secretListQuerySchema = z.object({
  cluster: name,
  namespace: name,
  kind: z.preprocess(blankToUndefined, z.enum(secretKinds).optional()),
  health: z.preprocess(blankToUndefined, z.enum(healthStatuses).optional()),
  scope: z.preprocess(blankToUndefined, z.enum(sealingScopes).optional()),
  text: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  sort: z.preprocess(blankToUndefined, z.enum(secretSortFields).default("health")),
  order: z.preprocess(blankToUndefined, z.enum(["asc", "desc"]).default("asc")),
  cursor: z.preprocess(blankToUndefined, z.string().max(2000).optional()),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(5000).default(500)),
});

export type SecretListQuery = z.infer<typeof secretListQuerySchema>;
/** The filters alone (what the Secrets page keeps in its URL). */
export type SecretFilters = Pick<
  SecretListQuery,
  "cluster" | "namespace" | "kind" | "health" | "scope" | "text" | "sort" | "order"
>;

export type SecretListResponse = {
  items: SecretRecord[];
  nextCursor: string | null;
  /** Matching records, all pages. */
  total: number;
  /** Matching records per health state, ignoring the health filter (the page's state counts). */
  counts: Record<HealthStatus, number>;
  /** The inventory revision this page was read at; stream events at or below it are already included. */
  resourceVersion: number;
  clusters: ClusterStatus[];
  warnings: ClusterWarning[];
};

/** `GET /api/secrets/[cluster]/[namespace]/[kind]/[name]` params. */
export const secretRouteParamsSchema = z.object({
  cluster: z.string().min(1).max(253),
  namespace: z.string().min(1).max(253),
  kind: z.enum(secretKinds),
  name: z.string().min(1).max(253),
});

export type KubeEvent = {
  type: string;
  reason: string | null;
  message: string | null;
  count: number;
  lastSeen: string | null;
  source: string | null;
};

export type SecretDetailResponse = {
  record: SecretRecord;
  resourceVersion: number;
  cluster: ClusterStatus | null;
};

/** `GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/events`: read from the cluster, apart from the record. */
export type SecretEventsResponse = { events: KubeEvent[]; eventsError: string | null };

/**
 * One server-sent event of `GET /api/secrets/events`. A change carries the record as it was before
 * (`previous`, null when new): with both, a client places the record in any cached list, sort and filter
 * (lib/validations/secret-list-order.ts) and keeps its counts right, even for pages it has not loaded.
 */
export type SecretStreamEvent =
  | { type: "upsert"; resourceVersion: number; record: SecretRecord; previous: SecretRecord | null }
  | { type: "delete"; resourceVersion: number; id: string; previous: SecretRecord | null }
  | { type: "cluster"; resourceVersion: number; cluster: ClusterStatus };
