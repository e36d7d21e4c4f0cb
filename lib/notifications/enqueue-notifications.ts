import "server-only";
import type pg from "pg";
import type { NotificationItem, NotificationSettings } from "@/lib/validations/notifications";
import { buildDigestPayload, type DeliveryPayload } from "./delivery-payload";

/** An item nobody has seen for this long is closed; seen again later, it opens (and is notified) again. */
export const ITEM_GRACE_MS = 15 * 60_000;
/** A sighting is written at most this often per item, so a large estate does not rewrite every row each tick. */
const SIGHTING_REFRESH_MS = 5 * 60_000;
/** Items closed this long ago are forgotten; deliveries this old leave the log. */
const ITEM_RETENTION_MS = 7 * 86_400_000;
const DELIVERY_RETENTION_MS = 30 * 86_400_000;

export type Db = pg.Pool | pg.ClientBase;

/** The UTC day of `now`, as Postgres' DATE text. */
export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

/** Today's digest time in UTC, as a Date. */
export function digestTimeOn(now: Date, digestTime: string): Date {
  const [hours = 0, minutes = 0] = digestTime.split(":").map(Number);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes));
}

export type EnqueueResult = { opened: string[]; immediate: number; digests: number };

/**
 * Records what is wrong now and queues what must be sent, safely from several replicas at once:
 * sightings are upserted (an item opens when it was not seen within ITEM_GRACE_MS); each newly opened
 * item gets an immediate delivery per channel, and each channel its digest once its time has passed
 * today. Every delivery insert is ON CONFLICT DO NOTHING on (channel, item, UTC day): whichever replica
 * comes first queues it, the others add nothing.
 */
export async function enqueueNotifications(
  db: Db,
  input: { items: readonly NotificationItem[]; settings: NotificationSettings; now: Date },
): Promise<EnqueueResult> {
  const { items, settings, now } = input;
  const day = utcDay(now);
  const opened: string[] = [];
  // Chunked: one statement per few thousand items keeps parameters and locks small.
  for (let start = 0; start < items.length; start += 2000) {
    const chunk = items.slice(start, start + 2000);
    const { rows } = await db.query<{ key: string; opened: boolean }>(
      `INSERT INTO notification_items AS n (item_key, kind, cluster, item, opened_at, last_seen_at)
         SELECT k, kind, cluster, item, $5, $5
           FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) AS u(k, kind, cluster, item)
       ON CONFLICT (item_key) DO UPDATE
         SET opened_at = CASE WHEN n.last_seen_at < $6 THEN EXCLUDED.opened_at ELSE n.opened_at END,
             last_seen_at = GREATEST(n.last_seen_at, EXCLUDED.last_seen_at),
             item = EXCLUDED.item
         WHERE n.last_seen_at < $7
       RETURNING n.item_key AS key, n.opened_at = $5 AS opened`,
      [
        chunk.map((i) => i.key),
        chunk.map((i) => i.kind),
        chunk.map((i) => i.cluster),
        chunk.map((i) => JSON.stringify(i)),
        now,
        new Date(now.getTime() - ITEM_GRACE_MS),
        new Date(now.getTime() - SIGHTING_REFRESH_MS),
      ],
    );
    for (const row of rows) if (row.opened) opened.push(row.key);
  }

  const channels = settings.channels.filter((c) => c.enabled);
  let immediate = 0;
  const immediateChannels = channels.filter((c) => c.immediate).map((c) => c.id);
  if (opened.length > 0 && immediateChannels.length > 0) {
    const byKey = new Map(items.map((i) => [i.key, i]));
    const queued = opened.flatMap((key) => {
      const item = byKey.get(key);
      return item ? [item] : [];
    });
    const payloads = queued.map((item) =>
      JSON.stringify({ kind: "immediate", items: [item], total: 1 } satisfies DeliveryPayload),
    );
    const result = await db.query(
      `INSERT INTO notification_deliveries
           (channel_id, item_key, day, kind, payload, next_attempt_at, created_at, updated_at)
         SELECT c, k, $4::date, 'immediate', p, $5, $5, $5
           FROM unnest($1::text[]) AS c CROSS JOIN unnest($2::text[], $3::jsonb[]) AS u(k, p)
       ON CONFLICT (channel_id, item_key, day) DO NOTHING`,
      [immediateChannels, queued.map((item) => item.key), payloads, day, now],
    );
    immediate = result.rowCount ?? 0;
  }

  let digests = 0;
  const digestChannels = channels.filter((c) => c.digest).map((c) => c.id);
  if (digestChannels.length > 0 && now >= digestTimeOn(now, settings.digestTime)) {
    const { rows: sent } = await db.query<{ channel: string }>(
      "SELECT channel_id AS channel FROM notification_deliveries WHERE item_key = 'digest' AND day = $1::date",
      [day],
    );
    const missing = digestChannels.filter((id) => !sent.some((row) => row.channel === id));
    if (missing.length > 0) {
      // The digest lists what is open in the database, whichever replica saw it: the same for all.
      const { rows: open } = await db.query<{ item: NotificationItem }>(
        "SELECT item FROM notification_items WHERE last_seen_at >= $1 ORDER BY kind, item_key",
        [new Date(now.getTime() - ITEM_GRACE_MS)],
      );
      const payload = JSON.stringify(buildDigestPayload(open.map((row) => row.item)));
      const result = await db.query(
        `INSERT INTO notification_deliveries
             (channel_id, item_key, day, kind, payload, next_attempt_at, created_at, updated_at)
           SELECT c, 'digest', $2::date, 'digest', $3::jsonb, $4, $4, $4 FROM unnest($1::text[]) AS c
         ON CONFLICT (channel_id, item_key, day) DO NOTHING`,
        [missing, day, payload, now],
      );
      digests = result.rowCount ?? 0;
    }
  }

  await db.query("DELETE FROM notification_items WHERE last_seen_at < $1", [
    new Date(now.getTime() - ITEM_RETENTION_MS),
  ]);
  await db.query(
    "DELETE FROM notification_deliveries WHERE created_at < $1 AND status IN ('delivered', 'failed')",
    [new Date(now.getTime() - DELIVERY_RETENTION_MS)],
  );
  return { opened, immediate, digests };
}
