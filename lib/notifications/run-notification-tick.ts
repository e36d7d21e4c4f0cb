import "server-only";
import {
  defaultNotificationSettings,
  NOTIFICATIONS_SETTING,
  type NotificationItem,
  type NotificationSettings,
  notificationSettingsSchema,
} from "@/lib/validations/notifications";
import { type DeliveryPass, deliverNotifications } from "./deliver-notifications";
import { type Db, enqueueNotifications, type EnqueueResult } from "./enqueue-notifications";
import type { sendToChannel } from "./send-to-channel";

/** The stored Settings → Notifications, or the defaults (no channels); null when the stored value is invalid. */
export async function readNotificationSettings(db: Db): Promise<NotificationSettings | null> {
  const { rows } = await db.query<{ value: unknown }>("SELECT value FROM settings WHERE key = $1", [
    NOTIFICATIONS_SETTING,
  ]);
  if (!rows[0]) return defaultNotificationSettings;
  const parsed = notificationSettingsSchema.safeParse(rows[0].value);
  return parsed.success ? parsed.data : null;
}

export type TickResult =
  { enqueued: EnqueueResult; delivered: DeliveryPass } | { skipped: "invalid-settings" };

/**
 * One pass of the scheduler, as every replica runs it: record what is wrong now (`items`, null when
 * this process cannot tell yet, e.g. its inventory is not ready), queue the day's notices, then send
 * whatever is due, its own and any other replica's.
 */
export async function runNotificationTick(
  db: Db,
  input: {
    items: readonly NotificationItem[] | null;
    now: Date;
    env: Record<string, string | undefined>;
    send?: typeof sendToChannel;
  },
): Promise<TickResult> {
  const settings = await readNotificationSettings(db);
  if (!settings) return { skipped: "invalid-settings" };
  const enqueued = input.items
    ? await enqueueNotifications(db, { items: input.items, settings, now: input.now })
    : { opened: [], immediate: 0, digests: 0 };
  const delivered = await deliverNotifications(db, settings, {
    env: input.env,
    now: input.now,
    send: input.send,
  });
  return { enqueued, delivered };
}
