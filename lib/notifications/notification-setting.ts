import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { readSetting } from "@/lib/settings/read-setting";
import type { SettingDefinition } from "@/lib/settings/setting-keys";
import { writeSetting } from "@/lib/settings/write-setting";
import {
  defaultNotificationSettings,
  NOTIFICATIONS_SETTING,
  type NotificationSettings,
  notificationSettingsSchema,
} from "@/lib/validations/notifications";

/** Settings → Notifications in the `settings` table; changing it needs notification:write (admins). */
export const notificationSettingDefinition: SettingDefinition<typeof notificationSettingsSchema> = {
  key: NOTIFICATIONS_SETTING,
  schema: notificationSettingsSchema,
  fallback: defaultNotificationSettings,
  permission: "notification:write",
};

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Reads, changes and writes the notification settings in one transaction, audited first (writeSetting
 * appends `settings.changed` before the row changes). `change` returns the new value and what the audit
 * event says about it: ids, names and types, never a URL or a variable's value.
 */
export async function updateNotificationSettings(
  principal: Pick<Principal, "userId" | "username" | "role">,
  change: (current: NotificationSettings) => { next: NotificationSettings; summary: Record<string, Json> },
): Promise<NotificationSettings> {
  return getPrismaOrThrow().$transaction(async (tx) => {
    const current = await readSetting(notificationSettingDefinition, tx);
    const { next, summary } = change(current.value ?? defaultNotificationSettings);
    const saved = await writeSetting(tx, notificationSettingDefinition, {
      value: next,
      principal,
      summarize: () => summary,
    });
    return saved ?? next;
  });
}
