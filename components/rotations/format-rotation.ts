import type { EvidenceKind, PolicyLevel, RotationRow } from "@/lib/validations/rotation";

const DAY_MS = 86_400_000;

/** Short evidence kinds for the table (the description says the rest). */
export const evidenceKindLabels: Record<EvidenceKind, string> = {
  observed: "cluster",
  "pull-request": "PR",
  "git-commit": "git",
  "external-sync": "sync",
  created: "created",
};

export const policyLevelLabels: Record<PolicyLevel, string> = {
  default: "default",
  global: "global",
  environment: "environment",
  cluster: "cluster",
  namespace: "namespace",
  secret: "secret",
  key: "key",
};

/** yyyy-mm-dd of an ISO time, in UTC (the dates of the schedule are UTC days). */
export const isoDay = (iso: string): string => iso.slice(0, 10);

/** Whole days from `now` to `iso` (negative in the past), both as UTC days. */
export function daysFrom(now: string, iso: string): number {
  return Math.round((Date.parse(isoDay(iso)) - Date.parse(isoDay(now))) / DAY_MS);
}

/** "in 5 days", "today", "12 days ago". */
export function relativeDays(days: number): string {
  if (days === 0) return "today";
  const n = Math.abs(days);
  const unit = n === 1 ? "day" : "days";
  return days > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

/** The last-rotation line: a date, or "at least since" when only the creation time is known. */
export function lastRotatedText(row: Pick<RotationRow, "lastRotatedAt" | "lastRotatedIsLowerBound">): string {
  if (!row.lastRotatedAt) return "never / unknown";
  const day = isoDay(row.lastRotatedAt);
  return row.lastRotatedIsLowerBound ? `at least since ${day}` : day;
}

/** The policy line beside a due date: its max age and its level, e.g. "90d · namespace policy". */
export function policyText(row: Pick<RotationRow, "policy">): string {
  const { maxAgeDays, level, origin } = row.policy;
  if (level === "default") return `${maxAgeDays}d · default`;
  const how = origin === "annotation" ? "annotation" : "policy";
  return `${maxAgeDays}d · ${policyLevelLabels[level]} ${how}`;
}

/** The due line: "2026-03-01 (12 days ago)", relative to when the schedule was computed. */
export function dueText(row: Pick<RotationRow, "dueAt">, generatedAt: string): string {
  if (!row.dueAt) return "no date";
  return `${isoDay(row.dueAt)} (${relativeDays(daysFrom(generatedAt, row.dueAt))})`;
}

/** "payments/api-keys" (ClusterExternalSecrets have no namespace). */
export const secretPath = (row: Pick<RotationRow, "namespace" | "name">): string =>
  row.namespace ? `${row.namespace}/${row.name}` : row.name;

/** The key column: an ExternalSecret's whole target is key "". */
export const keyText = (row: Pick<RotationRow, "key">): string => row.key || "(all keys)";
