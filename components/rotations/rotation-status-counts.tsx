"use client";

import { type RotationStatus, rotationStatuses } from "@/lib/validations/rotation";
import { RotationStatusBadge } from "./rotation-status-badge";

type RotationStatusCountsProps = {
  counts: Record<RotationStatus, number>;
  active: RotationStatus | undefined;
  onSelect: (status: RotationStatus | undefined) => void;
};

/** Keys per status under the other filters; each count toggles the status filter. */
export function RotationStatusCounts({ counts, active, onSelect }: RotationStatusCountsProps) {
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Keys per rotation status">
      {rotationStatuses.map((status) => (
        <li key={status}>
          <button
            type="button"
            aria-pressed={active === status}
            data-testid={`rotation-count-${status}`}
            onClick={() => onSelect(active === status ? undefined : status)}
            className={`inline-flex items-center gap-2 rounded-md border px-2 py-1 text-sm ${active === status ? "border-sky-500 ring-1 ring-sky-500" : "border-zinc-200 dark:border-zinc-800"}`}
          >
            <RotationStatusBadge status={status} />
            <span className="font-semibold tabular-nums">{counts[status]}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
