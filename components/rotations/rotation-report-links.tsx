import { type RotationFilters, rotationReportUrl } from "@/lib/queries/rotation-urls";

const linkClass =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** The auditors' report of what the page shows: every matching key, signed like the audit exports. */
export function RotationReportLinks({ filters }: { filters: RotationFilters }) {
  return (
    <div className="flex items-center gap-2" role="group" aria-label="Rotation report for these filters">
      <span className="text-xs text-zinc-600 dark:text-zinc-400">Signed report:</span>
      <a href={rotationReportUrl(filters, "csv")} download className={linkClass}>
        CSV
      </a>
      <a href={rotationReportUrl(filters, "json")} download className={linkClass}>
        JSON
      </a>
    </div>
  );
}
