import type { HealthStatus } from "@/lib/validations/secret-record";

const styles: Record<HealthStatus, string> = {
  Healthy: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  Degraded: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  Stale: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  Unknown: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

const dots: Record<HealthStatus, string> = {
  Healthy: "bg-emerald-500",
  Degraded: "bg-red-500",
  Stale: "bg-amber-500",
  Unknown: "bg-zinc-400",
};

type HealthBadgeProps = { status: HealthStatus; reason?: string };

/** Health as colour and words, never colour alone. */
export function HealthBadge({ status, reason }: HealthBadgeProps) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${styles[status]}`}
      title={reason}
    >
      <span aria-hidden className={`size-1.5 rounded-full ${dots[status]}`} />
      {status}
    </span>
  );
}
