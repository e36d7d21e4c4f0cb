import { type RotationStatus, rotationStatusLabels } from "@/lib/validations/rotation";

const styles: Record<RotationStatus, string> = {
  overdue: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  "due-7": "bg-orange-100 text-orange-900 dark:bg-orange-900/40 dark:text-orange-200",
  "due-30": "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  unknown: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  waived: "bg-violet-100 text-violet-900 dark:bg-violet-900/40 dark:text-violet-200",
  compliant: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
};

export const rotationStatusDots: Record<RotationStatus, string> = {
  overdue: "bg-red-500",
  "due-7": "bg-orange-500",
  "due-30": "bg-amber-500",
  unknown: "bg-zinc-400",
  waived: "bg-violet-500",
  compliant: "bg-emerald-500",
};

/** A key's rotation status as colour and words, never colour alone. */
export function RotationStatusBadge({ status }: { status: RotationStatus }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${styles[status]}`}
    >
      <span aria-hidden className={`size-1.5 rounded-full ${rotationStatusDots[status]}`} />
      {rotationStatusLabels[status]}
    </span>
  );
}
