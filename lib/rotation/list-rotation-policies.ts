import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import {
  type RotationPoliciesResponse,
  type RotationPolicy,
  type RotationPolicyScope,
  rotationPolicyScopeSchema,
} from "@/lib/validations/rotation";
import { secretKinds, type SecretKind } from "@/lib/validations/secret-record";

// Stored policies and waivers as the contract shapes them (RotationPoliciesResponse). A row that no
// longer meets the scope schema (edited by hand) is left out rather than applied half-understood.

type PolicyRow = {
  id: string;
  level: string;
  environment: string | null;
  cluster: string | null;
  namespace: string | null;
  kind: string | null;
  name: string | null;
  key: string | null;
  maxAgeDays: number;
  note: string;
  updatedBy: string;
  updatedAt: Date;
};

export function policyFromRow(row: PolicyRow): RotationPolicy | null {
  const candidates: Record<string, unknown> = {
    global: { level: "global" },
    environment: { level: "environment", environment: row.environment },
    cluster: { level: "cluster", cluster: row.cluster },
    namespace: { level: "namespace", cluster: row.cluster, namespace: row.namespace },
    secret: {
      level: "secret",
      cluster: row.cluster,
      namespace: row.namespace,
      kind: row.kind,
      name: row.name,
    },
    key: {
      level: "key",
      cluster: row.cluster,
      namespace: row.namespace,
      kind: row.kind,
      name: row.name,
      key: row.key,
    },
  };
  const parsed = rotationPolicyScopeSchema.safeParse(candidates[row.level]);
  if (!parsed.success) return null;
  return {
    id: row.id,
    scope: parsed.data,
    maxAgeDays: row.maxAgeDays,
    note: row.note,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The scope as table columns (null where the level has none). */
export function scopeColumns(scope: RotationPolicyScope) {
  const s = scope as Partial<
    Record<"environment" | "cluster" | "namespace" | "kind" | "name" | "key", string | null>
  >;
  return {
    level: scope.level,
    environment: s.environment ?? null,
    cluster: s.cluster ?? null,
    namespace: s.namespace ?? null,
    kind: s.kind ?? null,
    name: s.name ?? null,
    key: s.key ?? null,
  };
}

export type StoredWaiver = RotationPoliciesResponse["waivers"][number] & { revokedAt: string | null };

type WaiverRow = {
  id: string;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  key: string | null;
  until: Date;
  reason: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
};

export function waiverFromRow(row: WaiverRow, now: Date): StoredWaiver | null {
  const kind = secretKinds.find((k) => k === row.kind);
  if (!kind) return null;
  return {
    id: row.id,
    cluster: row.cluster,
    namespace: row.namespace,
    kind: kind satisfies SecretKind,
    name: row.name,
    key: row.key,
    until: row.until.toISOString(),
    reason: row.reason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    active: row.revokedAt === null && row.until.getTime() >= now.getTime(),
  };
}

export type PolicyDb = Pick<PrismaClient, "rotationPolicy" | "rotationWaiver">;

export async function listRotationPolicies(db: PolicyDb, now = new Date()) {
  const [policyRows, waiverRows] = await Promise.all([
    db.rotationPolicy.findMany({ orderBy: [{ level: "asc" }, { scopeKey: "asc" }] }),
    db.rotationWaiver.findMany({ orderBy: [{ createdAt: "desc" }] }),
  ]);
  const policies = policyRows.flatMap((row) => policyFromRow(row) ?? []);
  const waivers = waiverRows.flatMap((row) => waiverFromRow(row, now) ?? []);
  return { policies, waivers };
}
