import type { Check } from "@/lib/health/check-database";
import { Card } from "@/components/ui/card";

const labels: Record<string, string> = { database: "Database" };

export function SystemStatus({ checks }: { checks: Check[] }) {
  return (
    <Card title="System status">
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {checks.map((check) => (
          <li key={check.name} className="flex items-center justify-between gap-4 py-2 text-sm">
            <span>{labels[check.name] ?? check.name}</span>
            <span className="flex items-center gap-2">
              <span
                aria-hidden
                className={`size-2 rounded-full ${check.ok ? "bg-emerald-500" : "bg-red-500"}`}
              />
              <span
                className={
                  check.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"
                }
              >
                {check.ok ? "Ready" : `Not ready: ${check.reason ?? "unknown reason"}`}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
