import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import { readSetting } from "@/lib/settings/read-setting";
import {
  defaultNotificationSettings,
  type DeliveryLogEntry,
  type NotificationSettings,
} from "@/lib/validations/notifications";
import { listNotificationDeliveries } from "./list-notification-deliveries";
import { notificationSettingDefinition } from "./notification-setting";

export type NotificationsSection = {
  settings: NotificationSettings;
  deliveries: DeliveryLogEntry[];
  /** Whether each variable a channel names is set on this server: a boolean, never the value. */
  envPresence: Record<string, boolean>;
  error: string | null;
};

/** What Settings → Notifications shows. A stored value that no longer validates is reported, and edits start over from the defaults. */
export async function readNotificationsSection(db: PrismaClient): Promise<NotificationsSection> {
  const stored = await readSetting(notificationSettingDefinition, db);
  const settings = stored.value ?? defaultNotificationSettings;
  const names = settings.channels.flatMap((c) =>
    c.type === "slack"
      ? [c.urlEnv]
      : c.type === "webhook"
        ? [c.secretEnv]
        : c.passwordEnv
          ? [c.passwordEnv]
          : [],
  );
  return {
    settings,
    deliveries: await listNotificationDeliveries(db, settings),
    envPresence: Object.fromEntries(names.map((name) => [name, Boolean(process.env[name])])),
    error: stored.error,
  };
}
