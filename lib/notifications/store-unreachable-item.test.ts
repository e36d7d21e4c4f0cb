import { describe, expect, it } from "vitest";
import { findStoreIncidents } from "@/lib/recovery/find-store-incidents";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import type { NotificationItem, NotificationSettings } from "@/lib/validations/notifications";
import { collectNotificationItems } from "./collect-notification-items";
import { enqueueNotifications } from "./enqueue-notifications";

// Issue #21 item 2 through the existing channels: a store that stops being Ready opens a
// `store-unreachable` item (an immediate notice, and a line in the digest) and it closes once the store
// is Ready again; a later outage opens it, and notifies, again.

const channelId = "9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4e1";
const settings: NotificationSettings = {
  digestTime: "08:00",
  channels: [
    {
      id: channelId,
      name: "on-call",
      enabled: true,
      immediate: true,
      digest: true,
      type: "slack",
      urlEnv: "SEALDECK_NOTIFY_SLACK_URL",
    },
  ],
};

const store = (ready: boolean) => ({
  kind: "ClusterSecretStore",
  metadata: { name: "shared-vault" },
  spec: { provider: { vault: {} } },
  status: {
    conditions: [
      {
        type: "Ready",
        status: ready ? "True" : "False",
        reason: ready ? "Valid" : "InvalidProviderConfig",
        message: ready ? "store validated" : "unable to validate store",
        lastTransitionTime: "2026-12-05T07:00:00Z",
      },
    ],
  },
});
const externalSecrets = ["payments", "shop"].map((namespace) => ({
  kind: "ExternalSecret",
  metadata: {
    name: "registry",
    namespace,
    annotations: { "sealdeck.io/credential-lease": namespace === "shop" ? "12h" : "24h" },
  },
  spec: { secretStoreRef: { name: "shared-vault", kind: "ClusterSecretStore" } },
  status: { refreshTime: "2026-12-05T06:00:00Z" },
}));
const items = (ready: boolean) =>
  collectNotificationItems({
    schedule: null,
    records: [],
    warnings: [],
    storeIncidents: findStoreIncidents("prod", { clusterSecretStores: [store(ready)], externalSecrets }),
    baseUrl: null,
  });
const key = "store-unreachable:prod/-/ClusterSecretStore/shared-vault";

describe("the store-unreachable item", () => {
  const db = setupMigratedDatabase();
  const deliveries = () =>
    db.query<{ item: string; kind: string; day: string; payload: { items: NotificationItem[] } }>(
      "SELECT item_key AS item, kind, to_char(day, 'YYYY-MM-DD') AS day, payload FROM notification_deliveries ORDER BY id",
    );
  const pass = (ready: boolean, at: string) =>
    enqueueNotifications(db.pool, { items: items(ready), settings, now: new Date(at) });

  it("opens when the store goes not Ready, closes when it is Ready again, and opens again later", async () => {
    expect(await pass(false, "2026-12-05T07:50:00.000Z")).toEqual({
      opened: [key],
      immediate: 1,
      digests: 0,
    });
    const [immediate] = await deliveries();
    expect(immediate).toMatchObject({ item: key, kind: "immediate", day: "2026-12-05" });
    expect(immediate!.payload.items[0]!.summary).toBe(
      "not Ready since 2026-12-05 07:00:00 UTC: InvalidProviderConfig – unable to validate store; " +
        "2 dependent ExternalSecrets; soonest credential expiry 2026-12-05 18:00:00 UTC (shop/registry)",
    );

    // Still not Ready at digest time: listed in the digest, no second notice.
    expect(await pass(false, "2026-12-05T08:00:00.000Z")).toEqual({ opened: [], immediate: 0, digests: 1 });
    const digest = (await deliveries()).find((d) => d.kind === "digest")!;
    expect(digest.payload.items.map((i) => i.key)).toEqual([key]);

    // Ready again: no longer seen, so closed after the grace period; the next day's digest is empty.
    expect(items(true)).toEqual([]);
    expect(await pass(true, "2026-12-05T08:05:00.000Z")).toEqual({ opened: [], immediate: 0, digests: 0 });
    expect(await pass(true, "2026-12-06T08:00:00.000Z")).toEqual({ opened: [], immediate: 0, digests: 1 });
    const nextDigest = (await deliveries()).find((d) => d.kind === "digest" && d.day === "2026-12-06")!;
    expect(nextDigest.payload.items).toEqual([]);

    // A new outage opens it again, with a new immediate notice.
    expect(await pass(false, "2026-12-06T09:00:00.000Z")).toEqual({
      opened: [key],
      immediate: 1,
      digests: 0,
    });
    expect((await deliveries()).filter((d) => d.kind === "immediate").map((d) => d.day)).toEqual([
      "2026-12-05",
      "2026-12-06",
    ]);
  });
});
