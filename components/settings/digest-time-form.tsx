"use client";

import { useId, useState, type FormEvent } from "react";
import { saveDigestTime } from "@/lib/notifications/actions/save-digest-time";
import { digestTimeSchema } from "@/lib/validations/notifications";
import { fieldClass, primaryButtonClass } from "./settings-classes";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

// The daily digest's time of day, in UTC.
export function DigestTimeForm({ digestTime }: { digestTime: string }) {
  const id = useId();
  const { run, pending, error, setError, saved } = useSettingsAction();
  const [value, setValue] = useState(digestTime);
  const [fieldError, setFieldError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = digestTimeSchema.safeParse(value);
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? "not valid");
      setError(null);
      return;
    }
    setFieldError(null);
    run(() => saveDigestTime({ digestTime: parsed.data }));
  };

  return (
    <form onSubmit={onSubmit} aria-label="Daily digest time" className="flex flex-wrap items-end gap-2">
      <div className="w-32">
        <label htmlFor={id} className="block text-xs font-medium">
          Daily digest at (UTC)
        </label>
        <input
          id={id}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="08:00"
          aria-invalid={Boolean(fieldError)}
          aria-describedby={`${id}-error`}
          className={fieldClass}
        />
      </div>
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Saving…" : "Save time"}
      </button>
      <p id={`${id}-error`} className="w-full text-xs text-red-700 dark:text-red-400">
        {fieldError}
      </p>
      <ActionStatus error={error} saved={saved} />
    </form>
  );
}
