"use client";

import { useId, useState, type FormEvent } from "react";
import { saveAuditRetention } from "@/lib/settings/actions/save-audit-retention";
import { auditRetentionSchema } from "@/lib/settings/setting-keys";
import { fieldClass, primaryButtonClass } from "./settings-classes";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

// The audit retention editor: keep forever, or a number of days (at least 30).
export function AuditRetentionForm({ days }: { days: number | null }) {
  const id = useId();
  const { run, pending, error, setError, saved } = useSettingsAction();
  const [forever, setForever] = useState(days === null);
  const [value, setValue] = useState(String(days ?? 365));
  const [fieldError, setFieldError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = auditRetentionSchema.safeParse(forever ? null : value.trim() === "" ? NaN : Number(value));
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? "not valid");
      setError(null);
      return;
    }
    setFieldError(null);
    run(() => saveAuditRetention({ days: parsed.data }));
  };

  return (
    <form onSubmit={onSubmit} aria-label="Audit retention" className="space-y-2">
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" checked={forever} onChange={(e) => setForever(e.target.checked)} />
        Keep audit events forever
      </label>
      {!forever && (
        <div className="max-w-48">
          <label htmlFor={id} className="block text-xs font-medium">
            Keep for (days, at least 30)
          </label>
          <input
            id={id}
            type="number"
            min={30}
            step={1}
            inputMode="numeric"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={Boolean(fieldError)}
            aria-describedby={`${id}-error`}
            className={fieldClass}
          />
          <p id={`${id}-error`} className="text-xs text-red-700 dark:text-red-400">
            {fieldError}
          </p>
        </div>
      )}
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Saving…" : "Save retention"}
      </button>
      <ActionStatus error={error} saved={saved} />
    </form>
  );
}
