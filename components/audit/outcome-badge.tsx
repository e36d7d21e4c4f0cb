import type { AuditOutcome } from "@/lib/validations/audit-query";

const styles: Record<AuditOutcome, string> = {
  success: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  failure: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  denied: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  pending: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

/** An event's outcome as a word on a colour, never colour alone. */
export function OutcomeBadge({ outcome }: { outcome: AuditOutcome }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${styles[outcome]}`}>
      {outcome}
    </span>
  );
}
