import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { DeliveryLogEntry, DeliveryStatus, NotificationSettings } from "@/lib/validations/notifications";
import type { DeliveryPayload } from "./delivery-payload";
import { describeItem } from "./format-notice";

/** Settings → Notifications' delivery log: the newest deliveries first, with their status and last error. */
export async function listNotificationDeliveries(
  prisma: Pick<PrismaClient, "notificationDelivery">,
  settings: NotificationSettings,
  limit = 50,
): Promise<DeliveryLogEntry[]> {
  const rows = await prisma.notificationDelivery.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  const names = new Map(settings.channels.map((c) => [c.id, c.name]));
  return rows.map((row) => {
    const payload = row.payload as Partial<DeliveryPayload> | null;
    const kind = row.kind as DeliveryLogEntry["kind"];
    const status = row.status as DeliveryStatus;
    const item = payload?.items?.[0];
    const total = payload?.total ?? 0;
    return {
      id: row.id.toString(),
      channelId: row.channelId,
      channelName: names.get(row.channelId) ?? null,
      kind,
      itemKey: row.itemKey,
      subject:
        kind === "test"
          ? "Test notification"
          : kind === "digest"
            ? `Daily digest: ${total} item${total === 1 ? "" : "s"}`
            : item
              ? describeItem(item)
              : row.itemKey,
      day: row.day.toISOString().slice(0, 10),
      status,
      attempts: row.attempts,
      nextAttemptAt: status === "pending" ? row.nextAttemptAt.toISOString() : null,
      lastError: row.lastError,
      createdAt: row.createdAt.toISOString(),
      deliveredAt: row.deliveredAt?.toISOString() ?? null,
    };
  });
}
