import "server-only";
import { randomUUID } from "node:crypto";
import type { NotificationChannel } from "@/lib/validations/notifications";
import { MAX_ATTEMPTS, settleDeliveries } from "./deliver-notifications";
import type { DeliveryPayload } from "./delivery-payload";
import { type Db, utcDay } from "./enqueue-notifications";
import { buildNotice } from "./format-notice";
import { type SendContext, type SendOutcome, sendToChannel } from "./send-to-channel";

/**
 * "Send a test": sends at once, in this request, and records the attempt in the delivery log (claimed
 * from the start, so no scheduler picks it up; never retried: the admin is watching the result).
 */
export async function deliverTestNotice(
  db: Db,
  channel: NotificationChannel,
  context: SendContext & { send?: typeof sendToChannel },
): Promise<SendOutcome> {
  const payload: DeliveryPayload = { kind: "test", items: [], total: 0 };
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO notification_deliveries
       (channel_id, item_key, day, kind, payload, status, attempts, next_attempt_at, claimed_until, created_at, updated_at)
     VALUES ($1, $2, $3::date, 'test', $4, 'sending', 1, $5, $6, $5, $5)
     RETURNING id::text AS id`,
    [
      channel.id,
      `test:${randomUUID()}`,
      utcDay(context.now),
      JSON.stringify(payload),
      context.now,
      new Date(context.now.getTime() + 5 * 60_000),
    ],
  );
  const notice = buildNotice({ kind: "test", day: utcDay(context.now), items: [] });
  const outcome = await (context.send ?? sendToChannel)(channel, notice, context);
  await settleDeliveries(
    db,
    rows.map((row) => ({ id: row.id, attempts: MAX_ATTEMPTS })),
    outcome,
    context.now,
  );
  return outcome;
}
