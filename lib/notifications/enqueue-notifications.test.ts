import { describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import type { NotificationItem, NotificationSettings } from "@/lib/validations/notifications";
import { enqueueNotifications } from "./enqueue-notifications";

// What gets queued when: the digest not before its time of day (UTC), immediate notices only on
// channels that want them, nothing for disabled channels, and an item notified when it opens.

const item = (name: string): NotificationItem => ({
  key: `secret-not-syncing:prod/payments/SealedSecret/${name}`,
  kind: "secret-not-syncing",
  cluster: "prod",
  namespace: "payments",
  secretKind: "SealedSecret",
  name,
  secretKey: null,
  summary: "Degraded: Unseal failed",
  url: null,
});
const channel = (id: string, options: { enabled?: boolean; immediate?: boolean; digest?: boolean }) => ({
  id,
  name: `channel ${id.slice(-1)}`,
  enabled: options.enabled ?? true,
  immediate: options.immediate ?? true,
  digest: options.digest ?? true,
  type: "slack" as const,
  urlEnv: "SEALDECK_NOTIFY_SLACK_URL",
});
const ids = [
  "9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d1",
  "9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d2",
  "9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d3",
] as const;
const settings: NotificationSettings = {
  digestTime: "08:00",
  channels: [
    channel(ids[0], { digest: false }),
    channel(ids[1], { immediate: false }),
    channel(ids[2], { enabled: false }),
  ],
};

describe("enqueueNotifications", () => {
  const db = setupMigratedDatabase();
  const queued = () =>
    db.query<{ channel: string; item: string; kind: string }>(
      "SELECT channel_id AS channel, item_key AS item, kind FROM notification_deliveries ORDER BY id",
    );

  it("queues immediate notices as items open, and the digest once its time has come", async () => {
    const early = await enqueueNotifications(db.pool, {
      items: [item("a")],
      settings,
      now: new Date("2026-12-05T07:59:00.000Z"),
    });
    expect(early).toEqual({ opened: [item("a").key], immediate: 1, digests: 0 });
    expect(await queued()).toEqual([{ channel: ids[0], item: item("a").key, kind: "immediate" }]);

    // A minute later: "a" is still open (no new notice), "b" opens, and the digest is due.
    const due = await enqueueNotifications(db.pool, {
      items: [item("a"), item("b")],
      settings,
      now: new Date("2026-12-05T08:00:00.000Z"),
    });
    expect(due).toEqual({ opened: [item("b").key], immediate: 1, digests: 1 });
    expect(await queued()).toEqual([
      { channel: ids[0], item: item("a").key, kind: "immediate" },
      { channel: ids[0], item: item("b").key, kind: "immediate" },
      { channel: ids[1], item: "digest", kind: "digest" },
    ]);
    const [digest] = await db.query<{ payload: { total: number; items: NotificationItem[] } }>(
      "SELECT payload FROM notification_deliveries WHERE kind = 'digest'",
    );
    expect(digest!.payload.total).toBe(2);

    // Later passes add nothing while the items stay in sight (seen within the last 15 minutes).
    expect(
      await enqueueNotifications(db.pool, {
        items: [item("a"), item("b")],
        settings,
        now: new Date("2026-12-05T08:10:00.000Z"),
      }),
    ).toEqual({ opened: [], immediate: 0, digests: 0 });
  });
});
