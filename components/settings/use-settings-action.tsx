"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

type Result = { ok: boolean; error?: string; fieldErrors?: Record<string, string[]> };

/** Runs a settings server action: pending state, the error to show, a "saved" notice, then a refresh. */
export function useSettingsAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();

  const run = (action: () => Promise<Result>, onDone?: () => void) =>
    startTransition(async () => {
      setSaved(false);
      try {
        const result = await action();
        if (!result.ok) {
          const fields = Object.entries(result.fieldErrors ?? {})
            .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
            .join("; ");
          setError(`${result.error ?? "Not saved."}${fields ? ` ${fields}` : ""}`);
          return;
        }
        setError(null);
        setSaved(true);
        onDone?.();
        router.refresh();
      } catch {
        setError("Sealdeck could not be reached; nothing was saved. Retry.");
      }
    });

  return { run, pending, error, setError, saved };
}

/** The status line under a settings form: the error (announced) or a "Saved." note. */
export function ActionStatus({ error, saved }: { error: string | null; saved: boolean }) {
  if (error)
    return (
      <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
        {error}
      </p>
    );
  if (saved)
    return (
      <p role="status" className="mt-2 text-sm text-emerald-700 dark:text-emerald-400">
        Saved.
      </p>
    );
  return null;
}
