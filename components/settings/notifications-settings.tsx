import { Card } from "@/components/ui/card";
import type { DeliveryLogEntry, NotificationSettings } from "@/lib/validations/notifications";
import { DigestTimeForm } from "./digest-time-form";
import { NotificationChannelsEditor } from "./notification-channels-editor";
import { NotificationDeliveryLog } from "./notification-delivery-log";
import { ReadOnlyNote } from "./read-only-note";
import { mutedClass } from "./settings-classes";

type NotificationsSettingsProps = {
  settings: NotificationSettings | null;
  deliveries: DeliveryLogEntry[];
  envPresence: Record<string, boolean>;
  canEdit: boolean;
  error: string | null;
};

// Settings → Notifications: channels, the digest's time, and the delivery log.
export function NotificationsSettings({
  settings,
  deliveries,
  envPresence,
  canEdit,
  error,
}: NotificationsSettingsProps) {
  return (
    <Card title="Notifications" id="notifications" className="lg:col-span-2">
      <p className={`mb-3 text-xs ${mutedClass}`}>
        An immediate notice when a rotation or a sealing key becomes overdue or a secret stops syncing, and a
        daily digest of everything still open; each item at most once a day per channel, however many replicas
        run. Failed deliveries are retried after 1, 5 and 30 minutes.
      </p>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {!canEdit && <ReadOnlyNote need="the Admin role (notification:write)" />}
      {settings && (
        <div className="space-y-4">
          {canEdit ? (
            <DigestTimeForm digestTime={settings.digestTime} />
          ) : (
            <p className="text-sm">Daily digest at {settings.digestTime} UTC.</p>
          )}
          <NotificationChannelsEditor
            channels={settings.channels}
            envPresence={envPresence}
            canEdit={canEdit}
          />
        </div>
      )}
      <h3 className="mt-4 mb-2 text-xs font-semibold">Delivery log</h3>
      <NotificationDeliveryLog entries={deliveries} />
    </Card>
  );
}
