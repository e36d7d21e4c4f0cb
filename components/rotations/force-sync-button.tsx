"use client";

import { useTransition } from "react";
import { forceSyncSecret } from "@/lib/kube/actions/force-sync-secret";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";
import type { RotationRow } from "@/lib/validations/rotation";
import { rowButtonClass } from "./rotation-classes";

type ForceSyncButtonProps = {
  row: Pick<RotationRow, "cluster" | "namespace" | "kind" | "name">;
  onOutcome: (outcome: { ok: boolean; text: string }) => void;
};

/** An ExternalSecret's "Rotate now": ask External Secrets Operator to fetch the provider's value now. */
export function ForceSyncButton({ row, onOutcome }: ForceSyncButtonProps) {
  const [pending, startTransition] = useTransition();
  const label = `${row.namespace ? `${row.namespace}/` : ""}${row.name}`;
  return (
    <button
      type="button"
      tabIndex={-1}
      className={rowButtonClass}
      disabled={pending}
      onClick={(event) => {
        event.stopPropagation();
        startTransition(async () => {
          const result = await forceSyncSecret({
            cluster: row.cluster,
            namespace: row.namespace ?? CLUSTER_SCOPED_NAMESPACE,
            kind: row.kind,
            name: row.name,
          });
          onOutcome(
            result.ok
              ? { ok: true, text: `Sync of ${label} requested: External Secrets Operator refreshes it now.` }
              : { ok: false, text: `${label}: ${result.error}` },
          );
        });
      }}
    >
      {pending ? "Syncing…" : "Force sync"}
    </button>
  );
}
