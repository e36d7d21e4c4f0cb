"use client";

import { Card } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/form-alert";
import { InlineQueryError } from "@/components/ui/inline-query-error";
import { useRotationPolicies } from "@/lib/queries/use-rotation-policies";
import { revokeRotationWaiver } from "@/lib/rotation/actions/revoke-rotation-waiver";
import { isoDay } from "./format-rotation";
import { useRotationAction } from "./use-rotation-action";

const mutedClass = "text-zinc-600 dark:text-zinc-400";
const buttonClass =
  "rounded-md border border-zinc-300 px-2 py-0.5 text-xs font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** Every waiver, active first; ended and revoked ones stay listed (a waiver is never silently gone). */
export function WaiversList({ canEdit }: { canEdit: boolean }) {
  const policies = useRotationPolicies();
  const { run, pending, error } = useRotationAction();
  const waivers = [...(policies.data?.waivers ?? [])].sort(
    (a, b) => Number(b.active) - Number(a.active) || b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <Card title="Waivers">
      <p className={`mb-3 text-xs ${mutedClass}`}>
        A waiver accepts an overdue key until a date, with a reason. Grant one from a row of the table
        (&quot;Waive…&quot;); it is shown on the row and in the report.
      </p>
      {policies.isError ? (
        <InlineQueryError
          message="The waivers could not be loaded:"
          error={policies.error}
          onRetry={() => void policies.refetch()}
        />
      ) : policies.isPending ? (
        <p className={`text-sm ${mutedClass}`}>Loading waivers…</p>
      ) : waivers.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>No waivers.</p>
      ) : (
        <ul className="space-y-2 text-sm" data-testid="rotation-waivers">
          {waivers.map((waiver) => (
            <li
              key={waiver.id}
              className="flex items-start justify-between gap-3 border-t border-zinc-200 pt-2 dark:border-zinc-800"
            >
              <div className="min-w-0">
                <div>
                  <code>{waiver.key ?? "every key"}</code> of {waiver.namespace}/{waiver.name}{" "}
                  <span className={mutedClass}>
                    ({waiver.kind} on {waiver.cluster})
                  </span>
                </div>
                <div className={`text-xs ${mutedClass}`}>
                  {waiver.active ? "Active" : "Ended"} · until {isoDay(waiver.until)} · by {waiver.createdBy}{" "}
                  on {isoDay(waiver.createdAt)} · {waiver.reason}
                </div>
              </div>
              {canEdit && waiver.active && (
                <button
                  type="button"
                  className={buttonClass}
                  disabled={pending}
                  onClick={() => run(() => revokeRotationWaiver({ id: waiver.id }))}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormAlert message={error} />
    </Card>
  );
}
