import "server-only";
import type {
  DeliveryLogEntry,
  DeliveryStatus,
  NotificationItem,
  NotificationSettings,
} from "@/lib/validations/notifications";
import type { DeliveryPayload } from "./delivery-payload";
import type { Db } from "./enqueue-notifications";
import { describeItem } from "./format-notice";

type Row = {
  id: string;
  channel_id: string;
  item_key: string;
  day: string;
  kind: DeliveryLogEntry["kind"];
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  item: NotificationItem | null;
  total: number | null;
};

/** Settings → Notifications' delivery log: the newest deliveries first, with their status and last error. */
export async function listNotificationDeliveries(
  db: Db,
  settings: NotificationSettings,
  limit = 50,
): Promise<DeliveryLogEntry[]> {
  const { rows } = await db.query<Row>(
    `SELECT id::text AS id, channel_id, item_key, to_char(day, 'YYYY-MM-DD') AS day, kind, status, attempts,
            next_attempt_at, last_error, created_at, delivered_at,
            payload->'items'->0 AS item, (payload->>'total')::int AS total
       FROM notification_deliveries ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  const names = new Map(settings.channels.map((c) => [c.id, c.name]));
  return rows.map((row) => ({
    id: row.id,
    channelId: row.channel_id,
    channelName: names.get(row.channel_id) ?? null,
    kind: row.kind,
    itemKey: row.item_key,
    subject:
      row.kind === "test"
        ? "Test notification"
        : row.kind === "digest"
          ? `Daily digest: ${row.total ?? 0} item${row.total === 1 ? "" : "s"}`
          : row.item
            ? describeItem(row.item as DeliveryPayload["items"][number])
            : row.item_key,
    day: row.day,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? row.next_attempt_at.toISOString() : null,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  }));
}
