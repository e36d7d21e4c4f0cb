import type { AuditEventView, AuditOutcome } from "@/lib/validations/audit-query";

const styles: Record<AuditOutcome, string> = {
  success: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  failure: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  denied: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  pending: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

type OutcomeBadgeProps = {
  outcome: AuditOutcome;
  /** The event that recorded this pending request's result: the request then reads as resolved. */
  result?: Pick<AuditEventView, "seq" | "outcome"> | undefined;
};

/** An event's outcome as a word on a colour, never colour alone; a request shows its result once known. */
export function OutcomeBadge({ outcome, result }: OutcomeBadgeProps) {
  if (outcome === "pending" && result && result.outcome !== "pending")
    return (
      <span
        title={`Requested; the result is event #${result.seq}`}
        className={`rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${styles[result.outcome]}`}
      >
        <span aria-hidden>→ </span>
        <span className="sr-only">requested, then </span>
        {result.outcome}
      </span>
    );
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${styles[outcome]}`}>
      {outcome}
    </span>
  );
}
