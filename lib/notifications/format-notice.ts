import "server-only";
import {
  type NotificationItem,
  type NotificationItemKind,
  notificationItemKindLabels,
  notificationItemKinds,
} from "@/lib/validations/notifications";
import { countByKind } from "./delivery-payload";

/** Items written out in one message; the rest are counted ("…and 12 more"). */
export const NOTICE_MAX_LISTED = 20;

/** One message, as every channel renders it: the same facts, names and dates only. */
export type Notice = {
  kind: "immediate" | "digest" | "test";
  /** The UTC day the notice is about. */
  day: string;
  title: string;
  items: NotificationItem[];
  total: number;
  counts: Record<NotificationItemKind, number>;
};

export function describeItem(item: NotificationItem): string {
  const what =
    item.name === null
      ? `cluster ${item.cluster}`
      : `${item.secretKind ?? "secret"} ${item.namespace ? `${item.namespace}/` : ""}${item.name}${item.secretKey ? ` key ${item.secretKey}` : ""} on ${item.cluster}`;
  return `${notificationItemKindLabels[item.kind]}: ${what} – ${item.summary}`;
}

export function buildNotice(input: {
  kind: Notice["kind"];
  day: string;
  items: NotificationItem[];
  total?: number;
  counts?: Record<NotificationItemKind, number>;
}): Notice {
  const total = input.total ?? input.items.length;
  const counts = input.counts ?? countByKind(input.items);
  const summary = notificationItemKinds
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} × ${notificationItemKindLabels[k].toLowerCase()}`)
    .join(", ");
  const title =
    input.kind === "test"
      ? "Sealdeck: test notification"
      : input.kind === "digest"
        ? total === 0
          ? `Sealdeck daily digest ${input.day}: nothing overdue, every secret syncing`
          : `Sealdeck daily digest ${input.day}: ${summary}`
        : total === 1 && input.items[0]
          ? `Sealdeck: ${notificationItemKindLabels[input.items[0].kind].toLowerCase()}`
          : `Sealdeck: ${summary}`;
  return { kind: input.kind, day: input.day, title, items: input.items, total, counts };
}

/** Plain text: the e-mail body and the Slack fallback text. */
export function noticeText(notice: Notice): string {
  if (notice.kind === "test")
    return "This is a test from Sealdeck's Settings → Notifications: this channel works.";
  const listed = notice.items.slice(0, NOTICE_MAX_LISTED);
  const lines = listed.map((item) => `- ${describeItem(item)}${item.url ? `\n  ${item.url}` : ""}`);
  const more = notice.total - listed.length;
  if (more > 0) lines.push(`…and ${more} more.`);
  return [notice.title, "", ...lines].join("\n").trimEnd();
}

/** Slack's incoming-webhook body: `text` for notifications and clients without blocks, plus blocks. */
export function slackBody(notice: Notice): { text: string; blocks: unknown[] } {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const listed = notice.items.slice(0, NOTICE_MAX_LISTED);
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: notice.title.slice(0, 150) } },
  ];
  if (notice.kind === "test")
    blocks.push({ type: "section", text: { type: "mrkdwn", text: escape(noticeText(notice)) } });
  for (const item of listed) {
    const line = escape(describeItem(item));
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: item.url ? `${line}\n<${item.url}|Open in Sealdeck>` : line },
    });
  }
  const more = notice.total - listed.length;
  if (more > 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${more} more.` }] });
  return { text: noticeText(notice), blocks };
}

/** The generic webhook's JSON body (signed with HMAC-SHA256 by the sender). */
export function webhookBody(notice: Notice, sentAt: Date): Record<string, unknown> {
  return {
    type: "sealdeck.notification",
    version: 1,
    kind: notice.kind,
    day: notice.day,
    sentAt: sentAt.toISOString(),
    title: notice.title,
    total: notice.total,
    counts: notice.counts,
    items: notice.items,
  };
}
