import type { RotationSummary } from "@/lib/validations/rotation";
import { UNOWNED } from "./group-rotation-rows";

const DAY_MS = 86_400_000;

/** Every day from `from` (an ISO time, its UTC day) for `days` days, with the keys due that day (0 if none). */
export function dueSeries(dueByDay: RotationSummary["dueByDay"], from: string, days = 90) {
  const counts = new Map(dueByDay.map((entry) => [entry.date.slice(0, 10), entry.count]));
  const start = Date.parse(from.slice(0, 10));
  return Array.from({ length: days }, (_, index) => {
    const date = new Date(start + index * DAY_MS).toISOString().slice(0, 10);
    return { date, count: counts.get(date) ?? 0 };
  });
}

/** Compliance per team as a share (compliant or waived over all keys), worst first. */
export function complianceSeries(complianceByTeam: RotationSummary["complianceByTeam"]) {
  return complianceByTeam
    .map((entry) => ({
      team: entry.team ?? UNOWNED,
      compliant: entry.compliant,
      notCompliant: entry.total - entry.compliant,
      total: entry.total,
      percent: entry.total === 0 ? 100 : Math.round((entry.compliant / entry.total) * 100),
    }))
    .sort((a, b) => a.percent - b.percent || a.team.localeCompare(b.team));
}
