import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";
import { type Receivers, startReceivers } from "../testing/receivers";

// Settings → Notifications' actions as an admin, through the real authorizedAction wrapper: validation,
// audit first (nothing changes or is sent when the audit log is down), and "Send a test" end to end.

vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const SECRET = "whsec-action-test-0123456789abcdef";
const database = setupMigratedDatabase({ appClient: true });
const { prisma, query } = database;
const hookId = "4b8a9c2d-1e3f-4a5b-8c6d-7e8f9a0b1c2d";
const slackId = "4b8a9c2d-1e3f-4a5b-8c6d-7e8f9a0b1c2e";
let receivers: Receivers;

const events = () =>
  query<{ action: string; outcome: string; details: Record<string, unknown> }>(
    "SELECT action, outcome, details FROM audit_events ORDER BY seq",
  );
const stored = async () =>
  (await prisma.setting.findUnique({ where: { key: "notifications" } }))?.value as
    { digestTime: string; channels: { id: string; name: string }[] } | undefined;

beforeAll(async () => {
  receivers = await startReceivers({ webhookSecret: SECRET, smtpUser: "u", smtpPassword: "p" });
  (globalThis as { sealdeckAuditPool?: pg.Pool }).sealdeckAuditPool = database.pool;
  vi.stubEnv("SEALDECK_NOTIFY_ACTION_SECRET", SECRET);
});
afterAll(async () => {
  delete (globalThis as { sealdeckAuditPool?: pg.Pool }).sealdeckAuditPool;
  vi.unstubAllEnvs();
  await receivers?.close();
});
beforeEach(() => {
  session.principal = testPrincipal({
    userId: "u-admin",
    username: "admin",
    displayName: "Admin",
    role: "admin",
  });
});

describe("notification settings actions", () => {
  it("adds, edits and removes channels and sets the digest time, each audited by id and name only", async () => {
    const { saveNotificationChannel } = await import("./save-notification-channel");
    const { removeNotificationChannel } = await import("./remove-notification-channel");
    const { saveDigestTime } = await import("./save-digest-time");
    const hook = {
      id: hookId,
      name: "Receiver",
      type: "webhook",
      url: `${receivers.httpBase}/hook/action`,
      secretEnv: "SEALDECK_NOTIFY_ACTION_SECRET",
    };
    // A secret pasted where its variable's name belongs is refused with the field named.
    expect(
      await saveNotificationChannel({ channel: { ...hook, secretEnv: SECRET.toUpperCase() } }),
    ).toMatchObject({ ok: false, status: 422, fieldErrors: { channel: expect.any(Array) } });
    expect(await saveNotificationChannel({ channel: hook })).toEqual({
      ok: true,
      data: { id: hookId, added: true },
    });
    expect(
      await saveNotificationChannel({
        channel: { id: slackId, name: "Slack", type: "slack", urlEnv: "SEALDECK_NOTIFY_SLACK_URL" },
      }),
    ).toMatchObject({ ok: true });
    expect(
      await saveNotificationChannel({ channel: { ...hook, name: "Receiver 2", digest: false } }),
    ).toEqual({
      ok: true,
      data: { id: hookId, added: false },
    });
    expect(await saveDigestTime({ digestTime: "25:00" })).toMatchObject({ ok: false, status: 422 });
    expect(await saveDigestTime({ digestTime: "06:30" })).toMatchObject({ ok: true });
    expect(await removeNotificationChannel({ id: slackId })).toMatchObject({ ok: true });
    expect(await removeNotificationChannel({ id: slackId })).toMatchObject({ ok: false, status: 404 });

    expect(await stored()).toMatchObject({
      digestTime: "06:30",
      channels: [{ id: hookId, name: "Receiver 2" }],
    });
    const changes = (await events()).filter((e) => e.action === "settings.changed").map((e) => e.details);
    expect(changes).toEqual([
      expect.objectContaining({
        change: "notification-channel.added",
        channelId: hookId,
        channelType: "webhook",
      }),
      expect.objectContaining({ change: "notification-channel.added", channelId: slackId }),
      expect.objectContaining({
        change: "notification-channel.updated",
        channelName: "Receiver 2",
        changed: ["name", "digest"],
      }),
      expect.objectContaining({ change: "notification-digest-time", from: "08:00", to: "06:30" }),
      expect.objectContaining({ change: "notification-channel.removed", channelId: slackId }),
    ]);
    expect(JSON.stringify(await events())).not.toContain(receivers.httpBase);
  });

  it("changes nothing when the audit log cannot be written", async () => {
    const { saveDigestTime } = await import("./save-digest-time");
    const { sendTestNotification } = await import("./send-test-notification");
    const before = await stored();
    const requests = receivers.requests.get("/hook/action") ?? 0;
    await withAuditLogUnavailable(database, async () => {
      expect(await saveDigestTime({ digestTime: "09:15" })).toMatchObject({ ok: false, status: 503 });
      expect(await sendTestNotification({ id: hookId })).toMatchObject({ ok: false, status: 503 });
    });
    expect(await stored()).toEqual(before);
    expect(receivers.requests.get("/hook/action") ?? 0).toBe(requests);
  });

  it("sends a test, reports the receiver's answer, and logs both the request and the outcome", async () => {
    const { sendTestNotification } = await import("./send-test-notification");
    const { listNotificationDeliveries } = await import("../list-notification-deliveries");
    const { readNotificationSettings } = await import("../run-notification-tick");
    receivers.clock.now = new Date();
    expect(await sendTestNotification({ id: hookId })).toEqual({ ok: true, data: { ok: true } });
    const received = receivers.webhooks.filter((w) => w.path === "/hook/action");
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ signatureValid: true, event: "test", body: { kind: "test" } });

    receivers.failures.set("/hook/action", 1);
    expect(await sendTestNotification({ id: hookId })).toEqual({
      ok: true,
      data: { ok: false, error: "the receiver answered HTTP 500" },
    });
    expect((await events()).slice(-4).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      "notification.test.requested:pending",
      "notification.test:success",
      "notification.test.requested:pending",
      "notification.test:failure",
    ]);
    const settings = (await readNotificationSettings(database.pool))!;
    const log = await listNotificationDeliveries(prisma, settings);
    expect(log.slice(0, 2)).toMatchObject([
      {
        kind: "test",
        status: "failed",
        attempts: 1,
        lastError: "the receiver answered HTTP 500",
        channelName: "Receiver 2",
      },
      { kind: "test", status: "delivered", attempts: 1, lastError: null },
    ]);
  });
});
