import {
  type AppliedPolicy,
  OWNER_LABEL,
  type RotationEvidence,
  type RotationRow,
  type RotationStatus,
  rotationStatuses,
  type RotationWaiver,
  type TeamMapping,
} from "@/lib/validations/rotation";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { type EvidenceIndex, findEvidence } from "./index-rotation-evidence";
import type { StoredWaiver } from "./list-rotation-policies";
import { type PolicyIndex, resolveNamespacePolicy, resolvePolicy } from "./resolve-policy";

// One row per key of every secret (SealedSecret: per encryptedData key; ExternalSecret and
// ClusterExternalSecret: one row, key "", the synced target as a whole), with its policy, its last
// rotation and the evidence for it, its due date and where it stands. Pure and synchronous: the
// caller (get-rotation-schedule.ts) caches the result until the inventory, the evidence or a policy
// changes, so the page's requests only filter and page.

export const DAY_MS = 86_400_000;

export type ScheduleInputs = {
  records: readonly SecretRecord[];
  policies: PolicyIndex;
  /** Every stored waiver; only active ones apply. */
  waivers: readonly StoredWaiver[];
  teamMapping: TeamMapping;
  environmentOf: (cluster: string) => string | null;
  evidence: EvidenceIndex;
  now: Date;
};

/** A row and the numbers the queries sort and count by, computed once. */
export type ScheduleEntry = {
  row: RotationRow;
  rank: number;
  dueMs: number | null;
  /** lastRotatedAt in ms (creation time for "created"); null when unknown. */
  lastMs: number | null;
  /** Rotation time for the monthly chart; null for "created" (not a rotation) and unknown. */
  rotatedMs: number | null;
  team: string | null;
};

export type RotationSchedule = {
  generatedAt: string;
  nowMs: number;
  entries: ScheduleEntry[];
  /** Sort orders of `entries` and their slices, filled on first use by query-rotation-schedule.ts. */
  views: Map<string, ScheduleEntry[]>;
  /** Unfiltered counts and charts for users who see everything, filled on first use. */
  memo: Map<string, unknown>;
};

const statusRank = Object.fromEntries(rotationStatuses.map((s, i) => [s, i])) as Record<
  RotationStatus,
  number
>;

/** Where a key stands, given its due date and whether a waiver is active. */
export function rotationStatus(dueMs: number | null, nowMs: number, waived: boolean): RotationStatus {
  if (dueMs === null) return "unknown";
  let status: RotationStatus = "compliant";
  if (dueMs < nowMs) status = "overdue";
  else if (dueMs <= nowMs + 7 * DAY_MS) status = "due-7";
  else if (dueMs <= nowMs + 30 * DAY_MS) status = "due-30";
  return waived && status !== "compliant" ? "waived" : status;
}

type WaiverIndex = Map<string, StoredWaiver[]>;
const waiverTarget = (cluster: string, kind: string, namespace: string | null, name: string) =>
  `${cluster}\u0000${kind}\u0000${namespace ?? ""}\u0000${name}`;

function indexWaivers(waivers: readonly StoredWaiver[], nowMs: number): WaiverIndex {
  const index: WaiverIndex = new Map();
  for (const waiver of waivers) {
    if (waiver.revokedAt !== null || Date.parse(waiver.until) < nowMs) continue;
    const target = waiverTarget(waiver.cluster, waiver.kind, waiver.namespace, waiver.name);
    const list = index.get(target);
    if (list) list.push(waiver);
    else index.set(target, [waiver]);
  }
  return index;
}

/** The active waiver of this key (a key's own or the whole secret's), the one running longest. */
function findWaiver(list: StoredWaiver[] | undefined, key: string): RotationWaiver | null {
  let best: StoredWaiver | undefined;
  for (const waiver of list ?? []) {
    if (waiver.key !== null && waiver.key !== key) continue;
    if (!best || waiver.until > best.until) best = waiver;
  }
  if (!best) return null;
  return {
    id: best.id,
    until: best.until,
    reason: best.reason,
    createdBy: best.createdBy,
    createdAt: best.createdAt,
  };
}

export function teamIndex(mapping: TeamMapping) {
  const index = new Map<string, string>();
  // A mapping for one cluster beats the same namespace on every cluster; earlier entries win ties.
  for (const entry of mapping) {
    const key = `${entry.cluster ?? "*"}\u0000${entry.namespace}`;
    if (!index.has(key)) index.set(key, entry.team);
  }
  return index;
}

export function ownerOf(record: SecretRecord, teams: Map<string, string>): RotationRow["owner"] {
  const label = record.labels[OWNER_LABEL];
  if (label) return { team: label, source: "label" };
  const annotation = record.rotationAnnotations?.[OWNER_LABEL];
  if (annotation) return { team: annotation, source: "annotation" };
  if (record.namespace === null) return null;
  const mapped =
    teams.get(`${record.cluster}\u0000${record.namespace}`) ?? teams.get(`*\u0000${record.namespace}`);
  return mapped ? { team: mapped, source: "namespace-mapping" } : null;
}

export function computeRotationSchedule(inputs: ScheduleInputs): RotationSchedule {
  const nowMs = inputs.now.getTime();
  const waivers = indexWaivers(inputs.waivers, nowMs);
  const teams = teamIndex(inputs.teamMapping);
  // Per-namespace policies and ISO dates repeat across tens of thousands of rows: compute each once.
  const namespacePolicies = new Map<string, AppliedPolicy>();
  const isoDates = new Map<number, string>();
  const iso = (ms: number) => {
    let text = isoDates.get(ms);
    if (text === undefined) {
      text = new Date(ms).toISOString();
      isoDates.set(ms, text);
    }
    return text;
  };
  const entries: ScheduleEntry[] = [];
  for (const record of inputs.records) {
    const environment = inputs.environmentOf(record.cluster);
    const place = `${record.cluster}\u0000${record.namespace ?? ""}`;
    let namespacePolicy = namespacePolicies.get(place);
    if (!namespacePolicy) {
      namespacePolicy = resolveNamespacePolicy(inputs.policies, {
        cluster: record.cluster,
        environment,
        namespace: record.namespace,
      });
      namespacePolicies.set(place, namespacePolicy);
    }
    const owner = ownerOf(record, teams);
    const recordWaivers = waivers.get(
      waiverTarget(record.cluster, record.kind, record.namespace, record.name),
    );
    const createdMs = record.createdAt ? Date.parse(record.createdAt) : Number.NaN;
    const created: RotationEvidence | null = Number.isNaN(createdMs)
      ? null
      : {
          kind: "created",
          at: iso(createdMs),
          description: "no rotation known: the object exists since then",
          url: null,
        };
    const external = record.source.kind === "external-secrets" ? record.source : null;
    const keys = record.kind === "SealedSecret" ? record.keys : [""];
    for (const key of keys) {
      const policy = resolvePolicy(
        inputs.policies,
        {
          cluster: record.cluster,
          environment,
          namespace: record.namespace,
          kind: record.kind,
          name: record.name,
          key,
          annotations: record.rotationAnnotations,
        },
        namespacePolicy,
      );
      const evidence = findEvidence(
        inputs.evidence,
        record.cluster,
        record.kind,
        record.namespace,
        record.name,
        key,
      );
      const shown = evidence ?? created;
      const lastMs = evidence ? Date.parse(evidence.at) : created ? createdMs : null;
      const dueMs = lastMs === null ? null : lastMs + policy.maxAgeDays * DAY_MS;
      const waiver = findWaiver(recordWaivers, key);
      const status = rotationStatus(dueMs, nowMs, waiver !== null);
      const row: RotationRow = {
        id: `${record.id}#${key}`,
        recordId: record.id,
        cluster: record.cluster,
        environment,
        namespace: record.namespace,
        kind: record.kind,
        name: record.name,
        key,
        owner,
        policy,
        lastRotatedAt: shown?.at ?? null,
        lastRotatedIsLowerBound: !evidence && created !== null,
        evidence: shown,
        dueAt: dueMs === null ? null : iso(dueMs),
        status,
        waiver,
        refreshInterval: external?.refreshInterval ?? null,
        refreshTime: external?.refreshTime ?? null,
      };
      entries.push({
        row,
        rank: statusRank[status],
        dueMs,
        lastMs,
        rotatedMs: evidence ? lastMs : null,
        team: owner?.team ?? null,
      });
    }
  }
  return { generatedAt: inputs.now.toISOString(), nowMs, entries, views: new Map(), memo: new Map() };
}
