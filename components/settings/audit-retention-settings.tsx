import { Card } from "@/components/ui/card";
import { AuditRetentionForm } from "./audit-retention-form";
import { ReadOnlyNote } from "./read-only-note";
import { mutedClass } from "./settings-classes";

type AuditRetentionSettingsProps = { days: number | null; canEdit: boolean; error: string | null };

// Settings → Audit retention: how long the audit log keeps events.
export function AuditRetentionSettings({ days, canEdit, error }: AuditRetentionSettingsProps) {
  return (
    <Card title="Audit retention" id="audit-retention">
      <p className={`mb-3 text-xs ${mutedClass}`}>
        Older events are deleted only up to the newest signed checkpoint before the cut-off, so the remaining
        log still verifies. Pruning runs in the Sealdeck launcher, which holds the database owner&apos;s
        rights.
      </p>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {canEdit ? (
        <AuditRetentionForm days={days} />
      ) : (
        <>
          <ReadOnlyNote need="the Admin role (settings:write)" />
          <p className="text-sm">{days === null ? "Kept forever." : `Kept for ${days} days.`}</p>
        </>
      )}
    </Card>
  );
}
