"use client";

import type { HealthStatus } from "@/lib/validations/secret-record";
import { healthStatuses } from "@/lib/validations/secret-record";
import { HealthBadge } from "./health-badge";

type HealthCountsProps = {
  counts: Record<HealthStatus, number>;
  active: HealthStatus | undefined;
  onSelect: (health: HealthStatus | undefined) => void;
};

/** Counts per state for the current filters; each one toggles the health filter. */
export function HealthCounts({ counts, active, onSelect }: HealthCountsProps) {
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Counts per health state">
      {healthStatuses.map((status) => (
        <li key={status}>
          <button
            type="button"
            aria-pressed={active === status}
            onClick={() => onSelect(active === status ? undefined : status)}
            className={`inline-flex items-center gap-2 rounded-md border px-2 py-1 text-sm ${active === status ? "border-sky-500 ring-1 ring-sky-500" : "border-zinc-200 dark:border-zinc-800"}`}
          >
            <HealthBadge status={status} />
            <span className="tabular-nums">{counts[status]}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
