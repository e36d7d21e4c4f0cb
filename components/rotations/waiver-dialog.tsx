"use client";

import { useEffect, useId, useRef, useState } from "react";
import { FormAlert } from "@/components/ui/form-alert";
import { grantRotationWaiver } from "@/lib/rotation/actions/grant-rotation-waiver";
import { type RotationRow, rotationWaiverInputSchema } from "@/lib/validations/rotation";
import { keyText, secretPath } from "./format-rotation";
import { useRotationAction } from "./use-rotation-action";

const fieldClass =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-950";
const buttonClass =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";

const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

type WaiverDialogProps = {
  row: RotationRow;
  onClose: (outcome: { ok: boolean; text: string } | null) => void;
};

/** Accept an overdue key (or every key of its secret) until a date, with a reason: shown, exported, audited. */
export function WaiverDialog({ row, onClose }: WaiverDialogProps) {
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [until, setUntil] = useState(() => dayAfter(30));
  const [reason, setReason] = useState("");
  const [allKeys, setAllKeys] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const { run, pending, error } = useRotationAction();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const submit = () => {
    const parsed = rotationWaiverInputSchema.safeParse({
      cluster: row.cluster,
      namespace: row.namespace,
      kind: row.kind,
      name: row.name,
      key: allKeys ? null : row.key,
      until,
      reason,
    });
    if (!parsed.success) {
      setFieldErrors(
        Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])),
      );
      return;
    }
    setFieldErrors({});
    run(
      () => grantRotationWaiver(parsed.data),
      () =>
        onClose({
          ok: true,
          text: `Waived ${allKeys ? "every key" : keyText(row)} of ${secretPath(row)} on ${row.cluster} until ${parsed.data.until}.`,
        }),
    );
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      onClose={() => onClose(null)}
      className="m-auto w-full max-w-md rounded-lg border border-zinc-200 bg-white p-5 text-zinc-900 backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <form
        method="dialog"
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <h2 id={`${id}-title`} className="text-base font-semibold">
          Waive rotation of <code>{keyText(row)}</code>
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {secretPath(row)} ({row.kind}) on {row.cluster}. The key shows as waived until the date, in the page
          and in the report; the waiver is audited and never deleted.
        </p>
        {row.key !== "" && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={allKeys} onChange={(e) => setAllKeys(e.target.checked)} />
            Every key of this secret
          </label>
        )}
        <label className="block text-sm">
          Until (end of that day, UTC; at most a year ahead)
          <input
            type="date"
            required
            className={fieldClass}
            value={until}
            min={dayAfter(0)}
            max={dayAfter(365)}
            onChange={(e) => setUntil(e.target.value)}
            aria-invalid={Boolean(fieldErrors.until)}
            aria-describedby={`${id}-until-error`}
          />
          <span id={`${id}-until-error`} className="text-xs text-red-700 dark:text-red-400">
            {fieldErrors.until}
          </span>
        </label>
        <label className="block text-sm">
          Reason
          <textarea
            required
            rows={3}
            className={fieldClass}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={Boolean(fieldErrors.reason)}
            aria-describedby={`${id}-reason-error`}
            placeholder="Why this key may stay as it is until then"
          />
          <span id={`${id}-reason-error`} className="text-xs text-red-700 dark:text-red-400">
            {fieldErrors.reason}
          </span>
        </label>
        <FormAlert message={error} />
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass} onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900"
          >
            {pending ? "Saving…" : "Grant waiver"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
