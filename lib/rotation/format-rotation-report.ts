import { neutraliseCsvCell } from "@/lib/audit/export-formats";
import type { RotationRow } from "@/lib/validations/rotation";
import type { RotationReportFormat } from "./rotation-report-manifest";

// The rotation report's file formats. CSV: one row per key with RFC 4180 quoting, every text cell
// neutralised against spreadsheet formulas (a secret, key or team name such as `=HYPERLINK(…)` would
// otherwise run when an auditor opens the file). JSON: an array of the API's RotationRow objects, one
// per line, so `sealdeck rotations --format json` and the report hold the same objects.

export const ROTATION_REPORT_COLUMNS = [
  "cluster",
  "environment",
  "namespace",
  "kind",
  "name",
  "key",
  "team",
  "team_source",
  "status",
  "max_age_days",
  "policy_level",
  "policy_origin",
  "policy_where",
  "last_rotated_at",
  "last_rotated_is_lower_bound",
  "evidence_kind",
  "evidence_at",
  "evidence",
  "evidence_url",
  "due_at",
  "waiver_until",
  "waiver_reason",
  "waiver_by",
  "refresh_interval",
  "refresh_time",
] as const;

export const ROTATION_REPORT_CONTENT_TYPES: Record<RotationReportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json",
};

/** A CSV cell: neutralised as the audit exports' cells are (a leading `'`), then quoted when needed. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  const safe = typeof value === "string" ? neutraliseCsvCell(text) : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvLine(row: RotationRow): string {
  const cells: (string | number | boolean | null)[] = [
    row.cluster,
    row.environment,
    row.namespace,
    row.kind,
    row.name,
    row.key,
    row.owner?.team ?? null,
    row.owner?.source ?? null,
    row.status,
    row.policy.maxAgeDays,
    row.policy.level,
    row.policy.origin,
    row.policy.where,
    row.lastRotatedAt,
    row.lastRotatedIsLowerBound,
    row.evidence?.kind ?? null,
    row.evidence?.at ?? null,
    row.evidence?.description ?? null,
    row.evidence?.url ?? null,
    row.dueAt,
    row.waiver?.until ?? null,
    row.waiver?.reason ?? null,
    row.waiver?.createdBy ?? null,
    row.refreshInterval,
    row.refreshTime,
  ];
  return `${cells.map(csvCell).join(",")}\n`;
}

export function reportPrologue(format: RotationReportFormat): string {
  return format === "csv" ? `${ROTATION_REPORT_COLUMNS.join(",")}\n` : "[\n";
}

export function reportEpilogue(format: RotationReportFormat, count: number): string {
  if (format === "csv") return "";
  return count === 0 ? "]\n" : "\n]\n";
}

/** One row; `index` is its 0-based position (JSON needs commas between rows). */
export function formatReportRow(format: RotationReportFormat, row: RotationRow, index: number): string {
  if (format === "csv") return csvLine(row);
  const json = JSON.stringify(row);
  return index === 0 ? json : `,\n${json}`;
}
