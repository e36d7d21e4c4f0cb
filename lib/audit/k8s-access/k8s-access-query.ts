import { z } from "zod";

// GET /api/k8s-access: the query (URL search parameters) and the response. Isomorphic: the route
// validates with it, the history component builds its URLs and reads its pages with the same types.

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value ? value : undefined));

const optionalTime = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined))
  .refine((value) => value === undefined || !Number.isNaN(Date.parse(value)), "must be an ISO 8601 time");

export const k8sAccessQuerySchema = z
  .object({
    cluster: optionalText(253),
    namespace: optionalText(253),
    /** The object's name (a Secret, SealedSecret or ExternalSecret of that name). */
    name: optionalText(253),
    resource: z.enum(["secrets", "sealedsecrets", "externalsecrets", "clusterexternalsecrets"]).optional(),
    /** The Kubernetes user: matches the username or the impersonated user, case-insensitively, as a substring. */
    user: optionalText(200),
    verb: optionalText(50),
    /** Inclusive lower and exclusive upper bound on the event's time. */
    from: optionalTime,
    to: optionalTime,
    /** The id of the last event of the previous page: the next page holds older events. */
    cursor: z
      .string()
      .regex(/^[0-9]{1,19}$/, "must be the nextCursor of a previous page")
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: "from must be before to",
    path: ["from"],
  });

export type K8sAccessQuery = z.output<typeof k8sAccessQuerySchema>;
export type K8sAccessQueryInput = z.input<typeof k8sAccessQuerySchema>;

export type K8sAccessEventView = {
  id: string;
  cluster: string;
  auditId: string;
  /** The API server's stage timestamp, ISO 8601 with microseconds when the server sent them. */
  time: string;
  username: string | null;
  groups: string[];
  impersonatedUser: string | null;
  verb: string;
  resource: string;
  subresource: string | null;
  apiGroup: string;
  namespace: string | null;
  name: string | null;
  sourceIps: string[];
  userAgent: string | null;
  responseCode: number | null;
};

export type K8sAccessPage = { events: K8sAccessEventView[]; nextCursor: string | null };

/** The URL of one page of GET /api/k8s-access (undefined and empty filters left out). */
export function k8sAccessUrl(
  filters: Partial<Record<keyof K8sAccessQueryInput, string | number | undefined>>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `/api/k8s-access?${query}` : "/api/k8s-access";
}
