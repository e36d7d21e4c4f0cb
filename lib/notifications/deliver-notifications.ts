import "server-only";
import type { NotificationChannel, NotificationSettings } from "@/lib/validations/notifications";
import type { DeliveryPayload } from "./delivery-payload";
import type { Db } from "./enqueue-notifications";
import { buildNotice, type Notice } from "./format-notice";
import { type SendContext, type SendOutcome, sendToChannel } from "./send-to-channel";

/** Waits after the 1st, 2nd and 3rd failed attempt; the 4th failure is final. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** A claimed row not settled within this (its replica died mid-send) may be claimed again. */
const CLAIM_MS = 5 * 60_000;
/** Rows claimed per pass: one channel's immediate rows go out as one message. */
const CLAIM_LIMIT = 1000;

type ClaimedRow = {
  id: string;
  channel_id: string;
  item_key: string;
  day: string;
  kind: "immediate" | "digest" | "test";
  payload: DeliveryPayload;
  attempts: number;
};

/**
 * Claims the rows due now: pending ones whose next attempt has come, and "sending" ones whose claim
 * ran out. FOR UPDATE SKIP LOCKED lets replicas claim at the same moment without waiting on each other
 * or taking the same row; the claim (status "sending" until `claimed_until`) keeps it theirs while
 * they send outside any transaction.
 */
export async function claimDueDeliveries(db: Db, now: Date, limit = CLAIM_LIMIT): Promise<ClaimedRow[]> {
  const { rows } = await db.query<ClaimedRow>(
    `WITH due AS (
       SELECT id FROM notification_deliveries
        WHERE (status = 'pending' AND next_attempt_at <= $1)
           OR (status = 'sending' AND claimed_until < $1)
        ORDER BY next_attempt_at, id
        LIMIT $3
        FOR UPDATE SKIP LOCKED)
     UPDATE notification_deliveries d
        SET status = 'sending', attempts = d.attempts + 1, claimed_until = $2, updated_at = $1
       FROM due WHERE d.id = due.id
     RETURNING d.id::text AS id, d.channel_id, d.item_key, to_char(d.day, 'YYYY-MM-DD') AS day, d.kind,
               d.payload, d.attempts`,
    [now, new Date(now.getTime() + CLAIM_MS), limit],
  );
  return rows;
}

/** Records an attempt's outcome: delivered, retried after the next delay, or failed for good. */
export async function settleDeliveries(
  db: Db,
  rows: readonly Pick<ClaimedRow, "id" | "attempts">[],
  outcome: SendOutcome,
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  if (outcome.ok) {
    await db.query(
      `UPDATE notification_deliveries
          SET status = 'delivered', delivered_at = $2, claimed_until = NULL, last_error = NULL, updated_at = $2
        WHERE id = ANY($1::bigint[])`,
      [rows.map((r) => r.id), now],
    );
    return;
  }
  for (const row of rows) {
    const delay = RETRY_DELAYS_MS[row.attempts - 1];
    await db.query(
      `UPDATE notification_deliveries
          SET status = $2, next_attempt_at = $3, claimed_until = NULL, last_error = $4, updated_at = $5
        WHERE id = $1::bigint`,
      [
        row.id,
        delay === undefined ? "failed" : "pending",
        new Date(now.getTime() + (delay ?? 0)),
        outcome.error,
        now,
      ],
    );
  }
}

export type DeliveryPass = { sent: number; failed: number; rows: number };

/**
 * Claims what is due and sends it: per channel, the immediate rows as one message, each digest and test
 * on its own. A row whose channel was removed or disabled fails at once ("channel removed").
 */
export async function deliverNotifications(
  db: Db,
  settings: NotificationSettings,
  context: SendContext & { send?: typeof sendToChannel },
): Promise<DeliveryPass> {
  const send = context.send ?? sendToChannel;
  const claimed = await claimDueDeliveries(db, context.now);
  const pass: DeliveryPass = { sent: 0, failed: 0, rows: claimed.length };
  const groups = new Map<string, ClaimedRow[]>();
  for (const row of claimed) {
    const group = row.kind === "immediate" ? `${row.channel_id}|immediate|${row.day}` : `row|${row.id}`;
    groups.set(group, [...(groups.get(group) ?? []), row]);
  }
  for (const rows of groups.values()) {
    const first = rows[0]!;
    const channel: NotificationChannel | undefined = settings.channels.find((c) => c.id === first.channel_id);
    let outcome: SendOutcome;
    if (!channel || (!channel.enabled && first.kind !== "test")) {
      // Final at once: retrying cannot bring a removed channel back.
      outcome = { ok: false, error: channel ? "the channel is disabled" : "the channel was removed" };
      await settleDeliveries(
        db,
        rows.map((r) => ({ id: r.id, attempts: MAX_ATTEMPTS })),
        outcome,
        context.now,
      );
      pass.failed += 1;
      continue;
    }
    const notice: Notice =
      first.kind === "immediate"
        ? buildNotice({ kind: "immediate", day: first.day, items: rows.flatMap((r) => r.payload.items) })
        : buildNotice({
            kind: first.kind,
            day: first.day,
            items: first.payload.items,
            total: first.payload.total,
            counts: first.payload.counts,
          });
    outcome = await send(channel, notice, context);
    await settleDeliveries(db, rows, outcome, context.now);
    if (outcome.ok) pass.sent += 1;
    else pass.failed += 1;
  }
  return pass;
}
