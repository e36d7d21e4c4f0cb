import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import type { NotificationItem, NotificationSettings } from "@/lib/validations/notifications";
import { listNotificationDeliveries } from "./list-notification-deliveries";
import { runNotificationTick } from "./run-notification-tick";
import { type Receivers, startReceivers } from "./testing/receivers";

// A failing receiver: each failed attempt is recorded with its error (no secret in it) and retried
// after 1 min, 5 min and 30 min; the fourth failure is final. The delivery log Settings shows says so.

const SECRET = "whsec-retry-test-abcdef0123456789";
const SLACK_SECRET_PATH = "/slack/T1/B1/retry-secret-token-path";
const ids = {
  flaky: "2a7f2f0e-34a1-4f61-8f0e-5d6c7b8a9e01",
  down: "2a7f2f0e-34a1-4f61-8f0e-5d6c7b8a9e02",
  slack404: "2a7f2f0e-34a1-4f61-8f0e-5d6c7b8a9e03",
  unset: "2a7f2f0e-34a1-4f61-8f0e-5d6c7b8a9e04",
};
const item: NotificationItem = {
  key: "secret-not-syncing:sandbox/billing/ExternalSecret/stripe-api",
  kind: "secret-not-syncing",
  cluster: "sandbox",
  namespace: "billing",
  secretKind: "ExternalSecret",
  name: "stripe-api",
  secretKey: null,
  summary: "Degraded: SecretSyncedError",
  url: null,
};
const base = (id: string, name: string) => ({ id, name, enabled: true, immediate: true, digest: false });

describe("delivery retries", () => {
  const db = setupMigratedDatabase();
  let receivers: Receivers;
  let settings: NotificationSettings;
  const env = () => ({
    SEALDECK_NOTIFY_HOOK_SECRET: SECRET,
    SEALDECK_NOTIFY_SLACK_URL: `${receivers.httpBase}${SLACK_SECRET_PATH}`,
  });
  const t0 = Date.parse("2026-12-05T10:00:00.000Z");
  const at = (ms: number) => new Date(t0 + ms);
  const tick = (ms: number) => {
    receivers.clock.now = at(ms);
    return runNotificationTick(db.pool, { items: [item], now: at(ms), env: env() });
  };
  const row = async (channel: string) =>
    (
      await db.query<{ status: string; attempts: number; next: Date; error: string | null }>(
        `SELECT status, attempts, next_attempt_at AS next, last_error AS error
           FROM notification_deliveries WHERE channel_id = $1`,
        [channel],
      )
    )[0];

  beforeAll(async () => {
    receivers = await startReceivers({ webhookSecret: SECRET, smtpUser: "u", smtpPassword: "p" });
    settings = {
      digestTime: "08:00",
      channels: [
        {
          ...base(ids.flaky, "Flaky"),
          type: "webhook",
          url: `${receivers.httpBase}/hook/flaky`,
          secretEnv: "SEALDECK_NOTIFY_HOOK_SECRET",
        },
        {
          ...base(ids.down, "Down"),
          type: "webhook",
          url: `${receivers.httpBase}/hook/down`,
          secretEnv: "SEALDECK_NOTIFY_HOOK_SECRET",
        },
        { ...base(ids.slack404, "Slack gone"), type: "slack", urlEnv: "SEALDECK_NOTIFY_SLACK_URL" },
        {
          ...base(ids.unset, "Unset"),
          type: "webhook",
          url: `${receivers.httpBase}/hook/unset`,
          secretEnv: "SEALDECK_NOTIFY_NOT_SET",
        },
      ],
    };
    await db.query(
      "INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2, 'test', now())",
      ["notifications", JSON.stringify(settings)],
    );
  });
  afterAll(async () => {
    await receivers?.close();
  });
  beforeEach(() => {
    receivers.failures.set("/hook/flaky", 2);
    receivers.failures.set("/hook/down", Number.POSITIVE_INFINITY);
    receivers.failures.set(SLACK_SECRET_PATH, Number.POSITIVE_INFINITY);
  });

  it("retries after 1, 5 and 30 minutes, records each error, and shows the outcome in the log", async () => {
    await tick(0);
    expect(await row(ids.flaky)).toEqual({
      status: "pending",
      attempts: 1,
      next: at(60_000),
      error: "the receiver answered HTTP 500",
    });
    // Not before its time.
    await tick(30_000);
    expect(receivers.requests.get("/hook/flaky")).toBe(1);
    await tick(60_000);
    expect(await row(ids.flaky)).toMatchObject({
      status: "pending",
      attempts: 2,
      next: at(60_000 + 300_000),
    });
    await tick(360_000);
    expect(await row(ids.flaky)).toMatchObject({ status: "delivered", attempts: 3, error: null });
    expect(receivers.requests.get("/hook/flaky")).toBe(3);
    expect(receivers.webhooks.filter((w) => w.path === "/hook/flaky")).toHaveLength(1);

    expect(await row(ids.down)).toMatchObject({
      status: "pending",
      attempts: 3,
      next: at(360_000 + 1_800_000),
    });
    await tick(360_000 + 1_800_000);
    expect(await row(ids.down)).toMatchObject({
      status: "failed",
      attempts: 4,
      error: "the receiver answered HTTP 500",
    });
    await tick(10 * 3_600_000);
    expect(receivers.requests.get("/hook/down")).toBe(4);

    // The Slack URL is the credential: a failure's text must not repeat it.
    const slack = await row(ids.slack404);
    expect(slack).toMatchObject({ status: "failed", attempts: 4 });
    expect(slack!.error).not.toContain("retry-secret-token-path");
    // A missing variable is named, never guessed at.
    expect((await row(ids.unset))!.error).toBe(
      "The secret of channel Unset is missing: set the environment variable SEALDECK_NOTIFY_NOT_SET on the server.",
    );

    const log = await listNotificationDeliveries(db.prisma, settings);
    const byChannel = Object.fromEntries(log.map((entry) => [entry.channelName, entry]));
    expect(byChannel.Flaky).toMatchObject({
      status: "delivered",
      attempts: 3,
      lastError: null,
      kind: "immediate",
    });
    expect(byChannel.Down).toMatchObject({
      status: "failed",
      attempts: 4,
      lastError: "the receiver answered HTTP 500",
      nextAttemptAt: null,
    });
    expect(byChannel.Down!.subject).toContain("stripe-api");
    const stored = JSON.stringify(await db.query("SELECT * FROM notification_deliveries"));
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain("retry-secret-token-path");
  });

  it("a replica that died mid-send leaves its claim, taken again once it runs out", async () => {
    await db.query("DELETE FROM notification_deliveries");
    await db.query("DELETE FROM notification_items");
    receivers.failures.set("/hook/flaky", 0);
    const start = 20 * 3_600_000;
    // As if a replica claimed the row and died: "sending", claimed for five minutes.
    await db.query(
      `INSERT INTO notification_deliveries (channel_id, item_key, day, kind, payload, status, attempts, next_attempt_at, claimed_until)
       VALUES ($1, $2, '2026-12-06', 'immediate', $3, 'sending', 1, $4, $5)`,
      [
        ids.flaky,
        item.key,
        JSON.stringify({ kind: "immediate", items: [item], total: 1 }),
        at(start),
        at(start + 300_000),
      ],
    );
    const requests = receivers.requests.get("/hook/flaky") ?? 0;
    await runNotificationTick(db.pool, { items: null, now: at(start + 60_000), env: env() });
    expect(receivers.requests.get("/hook/flaky") ?? 0).toBe(requests);
    receivers.clock.now = at(start + 301_000);
    await runNotificationTick(db.pool, { items: null, now: at(start + 301_000), env: env() });
    expect(await row(ids.flaky)).toMatchObject({ status: "delivered", attempts: 2 });
  });
});
