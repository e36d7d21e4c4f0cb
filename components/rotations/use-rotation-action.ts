"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { rotationKeys } from "@/lib/queries/keys";

type ActionResult = { ok: true } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

/** The server's refusal as one line: its message, then each field's messages. */
export function actionErrorText(result: Extract<ActionResult, { ok: false }>): string {
  const fields = Object.entries(result.fieldErrors ?? {})
    .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
    .join("; ");
  return fields ? `${result.error} ${fields}` : result.error;
}

/**
 * Runs a policy or waiver server action: pending state, the server's error, and on success a refetch
 * of everything on the Rotations page (statuses, counts and charts depend on policies and waivers).
 */
export function useRotationAction() {
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (action: () => Promise<ActionResult>, onDone?: () => void) =>
    startTransition(async () => {
      try {
        const result = await action();
        if (!result.ok) {
          setError(actionErrorText(result));
          return;
        }
        setError(null);
        await queryClient.invalidateQueries({ queryKey: rotationKeys.all });
        onDone?.();
      } catch {
        setError("Sealdeck could not be reached; nothing was saved. Retry.");
      }
    });
  return { run, pending, error, setError };
}
