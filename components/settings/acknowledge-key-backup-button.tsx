"use client";

import { acknowledgeKeyBackup } from "@/lib/settings/actions/acknowledge-key-backup";
import { buttonClass } from "./settings-classes";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

/** Security leads: confirm the cluster's current sealing certificate and keys are backed up. */
export function AcknowledgeKeyBackupButton({ cluster, label }: { cluster: string; label?: string }) {
  const { run, pending, error, saved } = useSettingsAction();
  return (
    <div className="mt-1">
      <button
        type="button"
        disabled={pending}
        onClick={() => run(() => acknowledgeKeyBackup({ cluster }))}
        className={buttonClass}
      >
        {pending ? "Acknowledging…" : `Keys backed up: acknowledge${label ? ` for ${label}` : ""}`}
      </button>
      <ActionStatus error={error} saved={saved} />
    </div>
  );
}
