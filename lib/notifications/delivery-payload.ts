import "server-only";
import {
  type NotificationItem,
  type NotificationItemKind,
  notificationItemKinds,
} from "@/lib/validations/notifications";

/** Items a digest stores and lists; the counts cover them all. */
export const DIGEST_MAX_ITEMS = 200;

/** What a delivery row holds: the notice's items (names and dates only), fixed when it was queued. */
export type DeliveryPayload = {
  kind: "immediate" | "digest" | "test";
  items: NotificationItem[];
  /** Items in all (a digest may list fewer than it counts). */
  total: number;
  counts?: Record<NotificationItemKind, number>;
};

export function countByKind(items: readonly NotificationItem[]): Record<NotificationItemKind, number> {
  const counts = Object.fromEntries(notificationItemKinds.map((k) => [k, 0])) as Record<
    NotificationItemKind,
    number
  >;
  for (const item of items) counts[item.kind] += 1;
  return counts;
}

/** The day's digest: every open item counted, the first DIGEST_MAX_ITEMS listed (worst kinds first). */
export function buildDigestPayload(open: readonly NotificationItem[]): DeliveryPayload {
  const order = (item: NotificationItem) => notificationItemKinds.indexOf(item.kind);
  const sorted = [...open].sort(
    (a, b) => order(a) - order(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return {
    kind: "digest",
    items: sorted.slice(0, DIGEST_MAX_ITEMS),
    total: open.length,
    counts: countByKind(open),
  };
}
