"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { recoveryKeys } from "@/lib/queries/use-recovery-incidents";
import { startRecoveryCampaign } from "@/lib/recovery/actions/start-recovery-campaign";

/** Starts the re-seal campaign of a cluster's incident; the server refuses whoever cannot re-seal all of it. */
export function StartCampaignButton({ cluster }: { cluster: string }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const start = () =>
    startTransition(async () => {
      try {
        const result = await startRecoveryCampaign({ cluster });
        if (!result.ok) return setError(result.error);
        setError(null);
        await queryClient.invalidateQueries({ queryKey: recoveryKeys.all });
      } catch {
        setError("Sealdeck could not be reached; no campaign was started. Retry.");
      }
    });
  return (
    <div className="mt-2">
      <button
        type="button"
        disabled={pending}
        onClick={start}
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        {pending ? "Starting…" : "Start re-seal campaign"}
      </button>
      {error && (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
