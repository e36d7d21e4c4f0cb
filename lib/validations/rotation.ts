import { z } from "zod";
import { secretKinds, type SecretKind } from "./secret-record";

// The Rotations workspace's shapes, shared by lib/rotation (which computes them), the routes, the CLI
// and the browser. Isomorphic and value-free: key names, dates and policy facts only.

/** Where a key stands against its policy; the order is the page's default sort (worst first). */
export const rotationStatuses = ["overdue", "due-7", "due-30", "unknown", "waived", "compliant"] as const;
export type RotationStatus = (typeof rotationStatuses)[number];

export const rotationStatusLabels: Record<RotationStatus, string> = {
  overdue: "Overdue",
  "due-7": "Due within 7 days",
  "due-30": "Due within 30 days",
  unknown: "Never rotated / unknown",
  waived: "Waived",
  compliant: "Compliant",
};

/** Policy levels from least to most specific; the most specific one that has a policy wins. */
export const policyLevels = [
  "default",
  "global",
  "environment",
  "cluster",
  "namespace",
  "secret",
  "key",
] as const;
export type PolicyLevel = (typeof policyLevels)[number];

/** The policy that decided a key's due date, and where it was set (shown beside every due date). */
export type AppliedPolicy = {
  maxAgeDays: number;
  level: PolicyLevel;
  /** "settings": a policy a security lead stored; "annotation": `sealdeck.io/rotate-every…` on the manifest. */
  origin: "default" | "settings" | "annotation";
  /** Human words for where, e.g. "Settings → namespace production on sandbox", "annotation on the manifest". */
  where: string;
  /** The stored policy's id (origin "settings"), for linking to its editor. */
  policyId: string | null;
  /** Set when a `sealdeck.io/rotate-every…` annotation was present but invalid, so it was ignored. */
  warning?: string;
};

/** How the last rotation of a key is known, best evidence first. */
export const evidenceKinds = [
  "observed", // a rotation the cluster watch saw (observed_rotations / audit "rotation.observed")
  "pull-request", // a merged Sealdeck proposal that changed this key
  "git-commit", // the GitOps repository's history: the last commit that changed encryptedData.<key>
  "external-sync", // an ExternalSecret's target Secret changed (data-hash) or the provider reported a version
  "created", // nothing known: the object's creation time, "at least since"
] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export type RotationEvidence = {
  kind: EvidenceKind;
  /** ISO time of the rotation (for "created": the creation time, a lower bound). */
  at: string;
  /** One line, e.g. "merged pull request #12 by alice", "commit 1a2b3c4 in platform-gitops". */
  description: string;
  /** Pull request, commit or audit-event link when there is one. */
  url: string | null;
};

export type RotationWaiver = {
  id: string;
  /** ISO date (end of day UTC) the waiver runs until. */
  until: string;
  reason: string;
  createdBy: string;
  createdAt: string;
};

/** One key of one secret on one cluster: the Rotations page's row. */
export type RotationRow = {
  /** `<SecretRecord.id>#<key>`; key "" stands for a whole ExternalSecret target. */
  id: string;
  recordId: string;
  cluster: string;
  environment: string | null;
  namespace: string | null;
  kind: SecretKind;
  name: string;
  key: string;
  /** The owning team, and where that came from (label/annotation on the object, or Settings' namespace→team map). */
  owner: { team: string; source: "label" | "annotation" | "namespace-mapping" } | null;
  policy: AppliedPolicy;
  /** Null when nothing at all is known (status "unknown"). */
  lastRotatedAt: string | null;
  /** True when lastRotatedAt is only a lower bound (evidence "created"): shown as "at least since". */
  lastRotatedIsLowerBound: boolean;
  evidence: RotationEvidence | null;
  dueAt: string | null;
  status: RotationStatus;
  /** Active waiver, if any (status is then "waived" while the key would otherwise be overdue). */
  waiver: RotationWaiver | null;
  /** ExternalSecret only: the refresh interval and the last refresh, for staleness beside the due date. */
  refreshInterval: string | null;
  refreshTime: string | null;
};

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);
const name = z.preprocess(blankToUndefined, z.string().trim().min(1).max(253).optional());

export const rotationSortFields = [
  "status",
  "due",
  "last-rotated",
  "name",
  "namespace",
  "cluster",
  "team",
] as const;
export type RotationSortField = (typeof rotationSortFields)[number];

/** `GET /api/rotations` and the Rotations page URL: filters, sorting and paging. */
export const rotationQuerySchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(rotationStatuses).optional()),
  cluster: name,
  environment: name,
  namespace: name,
  team: name,
  kind: z.preprocess(blankToUndefined, z.enum(secretKinds).optional()),
  text: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  sort: z.preprocess(blankToUndefined, z.enum(rotationSortFields).default("status")),
  order: z.preprocess(blankToUndefined, z.enum(["asc", "desc"]).default("asc")),
  offset: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).default(0)),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(5000).default(500)),
});
export type RotationQuery = z.infer<typeof rotationQuerySchema>;

export type RotationListResponse = {
  rows: RotationRow[];
  /** Matching rows, all pages. */
  total: number;
  /** Matching rows per status, ignoring the status filter (the page's counts on top). */
  counts: Record<RotationStatus, number>;
  /** When the schedule was computed (ISO); every due date is relative to it. */
  generatedAt: string;
};

/** `GET /api/rotations/summary`: the charts' data, under the same filters (status ignored). */
export type RotationSummary = {
  /** Keys falling due per day over the next 90 days (days with none omitted). */
  dueByDay: { date: string; count: number }[];
  /** Rotations (any evidence but "created") per month over the last 12 months, oldest first, every month present. */
  rotationsByMonth: { month: string; count: number }[];
  /** Per team (null team = "Unowned"): keys compliant or waived vs all keys. */
  complianceByTeam: { team: string | null; compliant: number; total: number }[];
};

/** "90d", "12w", "6m" (30-day months), "1y" (365 days): the annotation and form syntax for a max age. */
export const maxAgeSchema = z
  .string()
  .trim()
  .regex(
    /^[1-9][0-9]{0,4}[dwmy]$/,
    "must be a number of days, weeks, months or years, e.g. 90d, 12w, 6m, 1y",
  );

const DAYS_PER_UNIT = { d: 1, w: 7, m: 30, y: 365 } as const;

/** Days in a max age written as `maxAgeSchema` accepts; null when it does not parse. */
export function maxAgeDays(value: string): number | null {
  const parsed = maxAgeSchema.safeParse(value);
  if (!parsed.success) return null;
  const unit = parsed.data.slice(-1) as keyof typeof DAYS_PER_UNIT;
  return Number(parsed.data.slice(0, -1)) * DAYS_PER_UNIT[unit];
}

/** The annotation that sets a secret's max age, and the per-key form `sealdeck.io/rotate-every.<key>`. */
export const ROTATE_EVERY_ANNOTATION = "sealdeck.io/rotate-every";
export const rotateEveryKeyAnnotation = (key: string) => `${ROTATE_EVERY_ANNOTATION}.${key}`;

/** The default when no policy is set anywhere: the common 90-day baseline. */
export const DEFAULT_MAX_AGE_DAYS = 90;

// ── Policies, waivers and the team mapping: edited by security leads and admins (server actions in
// lib/rotation/actions/, each authorized with "rotation-policy:write" and audited first).

/** Where a stored policy applies. Fields beyond the level's own are null (e.g. a namespace policy has no name). */
export const rotationPolicyScopeSchema = z.discriminatedUnion("level", [
  z.object({ level: z.literal("global") }),
  z.object({ level: z.literal("environment"), environment: z.string().trim().min(1).max(63) }),
  z.object({ level: z.literal("cluster"), cluster: z.string().trim().min(1).max(253) }),
  z.object({
    level: z.literal("namespace"),
    cluster: z.string().trim().min(1).max(253).nullable(),
    namespace: z.string().trim().min(1).max(253),
  }),
  z.object({
    level: z.literal("secret"),
    cluster: z.string().trim().min(1).max(253).nullable(),
    namespace: z.string().trim().min(1).max(253),
    kind: z.enum(secretKinds),
    name: z.string().trim().min(1).max(253),
  }),
  z.object({
    level: z.literal("key"),
    cluster: z.string().trim().min(1).max(253).nullable(),
    namespace: z.string().trim().min(1).max(253),
    kind: z.enum(secretKinds),
    name: z.string().trim().min(1).max(253),
    key: z.string().trim().max(253),
  }),
]);
export type RotationPolicyScope = z.infer<typeof rotationPolicyScopeSchema>;

/** Input of the save-rotation-policy action (create, or update when id is given). */
export const rotationPolicyInputSchema = z.object({
  id: z.uuid().optional(),
  scope: rotationPolicyScopeSchema,
  maxAge: maxAgeSchema,
  note: z.string().trim().max(500).default(""),
});
export type RotationPolicyInput = z.input<typeof rotationPolicyInputSchema>;

/** A stored policy as the browser sees it. */
export type RotationPolicy = {
  id: string;
  scope: RotationPolicyScope;
  maxAgeDays: number;
  note: string;
  updatedBy: string;
  updatedAt: string;
};

/** Input of the grant-rotation-waiver action: accept one overdue key (or every key of a secret) until a date. */
export const rotationWaiverInputSchema = z.object({
  cluster: z.string().trim().min(1).max(253),
  namespace: z.string().trim().min(1).max(253),
  kind: z.enum(secretKinds),
  name: z.string().trim().min(1).max(253),
  /** null: every key of the secret. */
  key: z.string().trim().max(253).nullable(),
  /** yyyy-mm-dd, today or later; at most a year ahead. */
  until: z.iso.date(),
  reason: z.string().trim().min(10, "say why, in at least 10 characters").max(1000),
});
export type RotationWaiverInput = z.input<typeof rotationWaiverInputSchema>;

/** `GET /api/rotations/policies`: what the policy and waiver editors list (everyone with rotation:read sees them). */
export type RotationPoliciesResponse = {
  policies: RotationPolicy[];
  waivers: (RotationWaiver & {
    cluster: string;
    namespace: string;
    kind: SecretKind;
    name: string;
    key: string | null;
    /** false once the date passed or it was revoked; kept and shown, never deleted. */
    active: boolean;
  })[];
};

/** Setting `rotation.team-mapping`: namespace (optionally on one cluster) → owning team. */
export const teamMappingSchema = z
  .array(
    z.object({
      cluster: z.string().trim().min(1).max(253).nullable(),
      namespace: z.string().trim().min(1).max(253),
      team: z.string().trim().min(1).max(100),
    }),
  )
  .max(5000);
export type TeamMapping = z.infer<typeof teamMappingSchema>;
export const TEAM_MAPPING_SETTING_KEY = "rotation.team-mapping";

/** The label or annotation naming a secret's owning team (label first). */
export const OWNER_LABEL = "sealdeck.io/owner";
