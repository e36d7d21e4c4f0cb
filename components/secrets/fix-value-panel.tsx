"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { KeyPicker } from "@/components/seal/key-picker";
import { cancelValueFix } from "@/lib/fix-value/actions/cancel-value-fix";
import { startValueFix } from "@/lib/fix-value/actions/start-value-fix";
import { useValueFixes, valueFixKeys } from "@/lib/queries/use-value-fixes";
import { rotateHref } from "@/lib/validations/seal-form";
import type { SecretKind } from "@/lib/validations/secret-record";
import { FixValueProgress } from "./fix-value-progress";

type FixValuePanelProps = {
  cluster: string;
  namespace: string;
  kind: SecretKind;
  name: string;
  keys: readonly string[];
  /** `secret:fix-value` in this namespace: may start and cancel fixes. */
  canFix: boolean;
};

const buttonClass =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";

/**
 * "Fix a value": a wrong value in production replaced, then the consumers restarted once the cluster
 * applied it. A SealedSecret goes through the rotate form; an ExternalSecret is force-synced after the
 * user confirms the provider holds the corrected value. The latest fix's progress shows below.
 */
export function FixValuePanel({ cluster, namespace, kind, name, keys, canFix }: FixValuePanelProps) {
  const id = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const fixes = useValueFixes(cluster, namespace, kind, name);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (kind === "ClusterExternalSecret") return null;
  const latest = fixes.data?.fixes[0];
  const underway = latest && !["restarted", "failed", "cancelled"].includes(latest.state);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: valueFixKeys.secret(cluster, namespace, kind, name) });
  const address = { cluster, namespace, kind, name };

  const start = () =>
    startTransition(async () => {
      setError(null);
      const result = await startValueFix(
        kind === "SealedSecret" ? { ...address, keys: chosen } : { ...address, providerUpdated: confirmed },
      );
      if (!result.ok) {
        setError(result.error);
        await refresh();
        return;
      }
      setOpen(false);
      if (result.data.next) router.push(result.data.next);
      else await refresh();
    });

  const cancel = (fixId: string) =>
    startTransition(async () => {
      setError(null);
      const result = await cancelValueFix({ ...address, fixId });
      if (!result.ok) setError(result.error);
      await refresh();
    });

  return (
    <div className="mt-3">
      {canFix && !underway && (
        <button
          type="button"
          className={buttonClass}
          aria-expanded={open}
          aria-controls={`${id}-panel`}
          onClick={() => setOpen((o) => !o)}
        >
          Fix a value…
        </button>
      )}
      {open && !underway && (
        <fieldset
          id={`${id}-panel`}
          className="mt-2 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800"
        >
          <legend className="px-1 font-medium">Fix a value</legend>
          {kind === "SealedSecret" ? (
            <>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">
                Choose the wrong keys and enter their corrected values in the rotate form. Once the pull
                request is merged and the cluster has applied the new values, the workloads using this secret
                are restarted once, as you.
              </p>
              <KeyPicker keys={keys} value={chosen} onChange={setChosen} />
            </>
          ) : (
            <label className="flex items-start gap-1.5">
              <input
                type="checkbox"
                checked={confirmed}
                onChange={(event) => setConfirmed(event.target.checked)}
              />
              <span>
                The secret store already holds the corrected value. Sealdeck then force-syncs this
                ExternalSecret and, once External Secrets Operator reports the new sync, restarts its
                consumers once, as you.
              </span>
            </label>
          )}
          <button
            type="button"
            className={`${buttonClass} mt-3`}
            disabled={pending || (kind === "SealedSecret" ? chosen.length === 0 : !confirmed)}
            onClick={start}
          >
            {kind === "SealedSecret"
              ? "Continue to the rotate form"
              : "Force-sync, then restart the consumers"}
          </button>
        </fieldset>
      )}
      <p role="status" aria-live="polite" className="mt-2 text-sm text-red-800 dark:text-red-300">
        {error ?? ""}
      </p>
      {latest && (
        <FixValueProgress
          fix={latest}
          pending={pending}
          rotateHref={
            latest.kind === "SealedSecret" && latest.keys.length > 0
              ? rotateHref({ clusters: [cluster], namespace, name, keys: latest.keys })
              : null
          }
          onCancel={canFix ? () => cancel(latest.id) : null}
        />
      )}
    </div>
  );
}
