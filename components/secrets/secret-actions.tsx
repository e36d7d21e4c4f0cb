"use client";

import { useState, useTransition } from "react";
import { forceSyncSecret } from "@/lib/kube/actions/force-sync-secret";
import { restartSecretConsumers } from "@/lib/kube/actions/restart-secret-consumers";
import { validateSealedSecret } from "@/lib/kube/actions/validate-sealed-secret";
import type { SecretActionInput } from "@/lib/validations/secret-action-input";

export type SecretActionPermissions = {
  forceSync: boolean;
  restart: boolean;
  validate: boolean;
  /** `secret:rotate` here: shows the Rotate action (components/seal/rotate-keys-button.tsx). */
  rotate?: boolean;
  /** `secret:fix-value` here: shows "Fix a value" (components/secrets/fix-value-panel.tsx). */
  fixValue?: boolean;
};

type SecretActionsProps = { address: SecretActionInput; allowed: SecretActionPermissions; consumers: number };

type Outcome = { ok: boolean; text: string } | null;

const buttonClass =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** The secret's cluster actions; each is authorized and audited on the server before it runs. */
export function SecretActions({ address, allowed, consumers }: SecretActionsProps) {
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const isExternal = address.kind !== "SealedSecret";
  const run = (work: () => Promise<Outcome>) => startTransition(async () => setOutcome(await work()));

  const buttons = [
    isExternal && allowed.forceSync && (
      <button
        key="sync"
        type="button"
        className={buttonClass}
        disabled={pending}
        onClick={() =>
          run(async () => {
            const result = await forceSyncSecret(address);
            return result.ok
              ? { ok: true, text: "Sync requested: External Secrets Operator will refresh it now." }
              : { ok: false, text: result.error };
          })
        }
      >
        Force sync
      </button>
    ),
    !isExternal && allowed.validate && (
      <button
        key="validate"
        type="button"
        className={buttonClass}
        disabled={pending}
        onClick={() =>
          run(async () => {
            const result = await validateSealedSecret(address);
            return result.ok
              ? {
                  ok: result.data.valid,
                  text: result.data.valid
                    ? "The controller can decrypt it."
                    : `The controller cannot decrypt it: ${result.data.message}`,
                }
              : { ok: false, text: result.error };
          })
        }
      >
        Validate with the controller
      </button>
    ),
    allowed.restart && consumers > 0 && (
      <button
        key="restart"
        type="button"
        className={buttonClass}
        disabled={pending}
        onClick={() =>
          run(async () => {
            const result = await restartSecretConsumers(address);
            return result.ok
              ? {
                  ok: true,
                  text: `Restarted ${result.data.restarted.join(", ") || "nothing"}.${result.data.skipped.length ? ` Skipped ${result.data.skipped.join("; ")}.` : ""}`,
                }
              : { ok: false, text: result.error };
          })
        }
      >
        Restart {consumers} consumer{consumers === 1 ? "" : "s"}
      </button>
    ),
  ].filter(Boolean);

  // "Fix a value" (below) is then the one action offered.
  if (buttons.length === 0 && allowed.fixValue && address.kind !== "ClusterExternalSecret") return null;
  if (buttons.length === 0)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Your role has no actions on this secret.</p>
    );
  return (
    <div>
      <div className="flex flex-wrap gap-2">{buttons}</div>
      <p
        role="status"
        aria-live="polite"
        className={`mt-2 text-sm ${outcome && !outcome.ok ? "text-red-800 dark:text-red-300" : "text-zinc-700 dark:text-zinc-300"}`}
      >
        {pending ? "Working…" : (outcome?.text ?? "")}
      </p>
    </div>
  );
}
