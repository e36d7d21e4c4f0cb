import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import type { NotificationItem, NotificationSettings } from "@/lib/validations/notifications";
import { mailText, type Receivers, startReceivers } from "./testing/receivers";

// Two app replicas (two Node processes) run the notification scheduler over one Postgres, at once,
// several passes each, against a local signed-webhook receiver, a Slack-compatible receiver and an SMTP
// server: every item reaches every channel once per UTC day, and each channel gets one digest a day.

const script = fileURLToPath(new URL("./testing/notifier-replica.ts", import.meta.url));
const tsconfig = fileURLToPath(new URL("../../tsconfig.json", import.meta.url));

const WEBHOOK_SECRET = "whsec-replica-test-0123456789";
const SMTP_PASSWORD = "smtp-replica-test-password";
const SLACK_TOKEN_PATH = "/slack/T0000/B0000/replica-secret-token";
const channelIds = {
  webhook: "6f1c3f64-7a8e-4b0c-9d1e-0a1b2c3d4e01",
  slack: "6f1c3f64-7a8e-4b0c-9d1e-0a1b2c3d4e02",
  email: "6f1c3f64-7a8e-4b0c-9d1e-0a1b2c3d4e03",
};

const items: NotificationItem[] = [
  {
    key: "rotation-overdue:sandbox/payments/SealedSecret/db-credentials#password",
    kind: "rotation-overdue",
    cluster: "sandbox",
    namespace: "payments",
    secretKind: "SealedSecret",
    name: "db-credentials",
    secretKey: "password",
    summary: "rotation was due 2026-11-30 (at most every 90 days, default)",
    url: null,
  },
  {
    key: "sealing-key-overdue:sandbox",
    kind: "sealing-key-overdue",
    cluster: "sandbox",
    namespace: null,
    secretKind: null,
    name: null,
    secretKey: null,
    summary: "The newest sealing key sealed-secrets-keyabcde is 45 days old",
    url: null,
  },
  {
    key: "secret-not-syncing:sandbox/billing/ExternalSecret/stripe-api",
    kind: "secret-not-syncing",
    cluster: "sandbox",
    namespace: "billing",
    secretKind: "ExternalSecret",
    name: "stripe-api",
    secretKey: null,
    summary: "Degraded: SecretSyncedError",
    url: null,
  },
];

function runReplica(
  url: string,
  now: string,
  itemsFile: string,
  env: Record<string, string>,
): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", import.meta.resolve("tsx"), script, url, now, itemsFile, "6"],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env, TSX_TSCONFIG_PATH: tsconfig } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(stdout) as Record<string, number>)
        : reject(new Error(`replica exited ${code}: ${stderr}`)),
    );
  });
}

describe("notifications with two replicas on one database", () => {
  const db = setupMigratedDatabase();
  let receivers: Receivers;
  let dir: string;
  let itemsFile: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    receivers = await startReceivers({
      webhookSecret: WEBHOOK_SECRET,
      smtpUser: "sealdeck",
      smtpPassword: SMTP_PASSWORD,
    });
    dir = mkdtempSync(join(tmpdir(), "sealdeck-notify-"));
    itemsFile = join(dir, "items.json");
    writeFileSync(itemsFile, JSON.stringify(items));
    env = {
      SEALDECK_NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SEALDECK_NOTIFY_SLACK_URL: `${receivers.httpBase}${SLACK_TOKEN_PATH}`,
      SEALDECK_NOTIFY_SMTP_PASSWORD: SMTP_PASSWORD,
    };
    const settings: NotificationSettings = {
      digestTime: "08:00",
      channels: [
        {
          id: channelIds.webhook,
          name: "Generic webhook",
          enabled: true,
          immediate: true,
          digest: true,
          type: "webhook",
          url: `${receivers.httpBase}/hook`,
          secretEnv: "SEALDECK_NOTIFY_WEBHOOK_SECRET",
        },
        {
          id: channelIds.slack,
          name: "Slack",
          enabled: true,
          immediate: true,
          digest: true,
          type: "slack",
          urlEnv: "SEALDECK_NOTIFY_SLACK_URL",
        },
        {
          id: channelIds.email,
          name: "Security team mail",
          enabled: true,
          immediate: true,
          digest: true,
          type: "email",
          host: "127.0.0.1",
          port: receivers.smtpPort,
          security: "none",
          username: "sealdeck",
          passwordEnv: "SEALDECK_NOTIFY_SMTP_PASSWORD",
          from: "sealdeck@example.com",
          to: ["security@example.com", "oncall@example.com"],
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
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const runBoth = async (now: string) => {
    receivers.clock.now = new Date(now);
    return Promise.all([runReplica(db.url, now, itemsFile, env), runReplica(db.url, now, itemsFile, env)]);
  };

  type WebhookBody = { kind: string; day: string; total: number; items: NotificationItem[] };
  type SlackBody = { text: string; blocks: { type: string; text?: { text: string } }[] };
  const hooks = () => receivers.webhooks.filter((w) => w.path === "/hook").map((w) => w.body as WebhookBody);
  const slacks = () =>
    receivers.webhooks.filter((w) => w.path === SLACK_TOKEN_PATH).map((w) => w.body as SlackBody);
  const mails = () => receivers.mails.map((m) => ({ ...m, text: mailText(m.raw) }));

  /** How many messages of a channel mention each item, over immediate notices only. */
  function immediateCounts() {
    const webhook = items.map(
      (item) =>
        hooks().filter((b) => b.kind === "immediate" && b.items.some((i) => i.key === item.key)).length,
    );
    const slack = items.map(
      (item) =>
        slacks().filter((b) => !b.text.includes("daily digest") && b.text.includes(item.summary)).length,
    );
    const email = items.map(
      (item) =>
        mails().filter((m) => !m.text.includes("daily digest") && m.text.includes(item.summary)).length,
    );
    return { webhook, slack, email };
  }
  const digestCounts = () => ({
    webhook: hooks().filter((b) => b.kind === "digest").length,
    slack: slacks().filter((b) => b.text.includes("daily digest")).length,
    email: mails().filter((m) => m.text.includes("daily digest")).length,
  });

  it(
    "notifies every item once per channel and sends one digest, whichever replica gets there",
    {
      timeout: 120_000,
    },
    async () => {
      await runBoth("2026-12-05T09:00:00.000Z");
      expect(immediateCounts()).toEqual({ webhook: [1, 1, 1], slack: [1, 1, 1], email: [1, 1, 1] });
      expect(digestCounts()).toEqual({ webhook: 1, slack: 1, email: 1 });

      // The generic webhook's signature checked out (the receiver refuses a bad one) and names the event.
      expect(receivers.webhooks.filter((w) => w.path === "/hook").every((w) => w.signatureValid)).toBe(true);
      expect(receivers.requests.get("/hook")).toBe(hooks().length);
      const digest = hooks().find((b) => b.kind === "digest")!;
      expect(digest).toMatchObject({ day: "2026-12-05", total: 3 });
      expect(digest.items.map((i) => i.key).sort()).toEqual(items.map((i) => i.key).sort());
      // Slack-compatible: text plus blocks.
      for (const body of slacks()) {
        expect(body.text.length).toBeGreaterThan(0);
        expect(body.blocks[0]).toMatchObject({ type: "header" });
      }
      // SMTP: signed in with the password from the environment, to every recipient.
      for (const mail of mails()) {
        expect(mail.user).toBe("sealdeck");
        expect(mail.to.sort()).toEqual(["oncall@example.com", "security@example.com"]);
        expect(mail.from).toBe("sealdeck@example.com");
      }

      const rows = await db.query<{ status: string; attempts: number; count: string }>(
        "SELECT status, attempts, count(*)::text AS count FROM notification_deliveries GROUP BY 1, 2",
      );
      // 3 channels × (3 items + 1 digest), each delivered at the first attempt.
      expect(rows).toEqual([{ status: "delivered", attempts: 1, count: "12" }]);
    },
  );

  it(
    "sends nothing more the same day, even when an item closes and opens again",
    {
      timeout: 120_000,
    },
    async () => {
      const before = receivers.webhooks.length + receivers.mails.length;
      // Six hours later nobody has seen the items in between: they open again, but today's notices exist.
      await runBoth("2026-12-05T15:00:00.000Z");
      expect(receivers.webhooks.length + receivers.mails.length).toBe(before);
    },
  );

  it("notifies again once on the next day", { timeout: 120_000 }, async () => {
    await runBoth("2026-12-06T09:00:00.000Z");
    expect(immediateCounts()).toEqual({ webhook: [2, 2, 2], slack: [2, 2, 2], email: [2, 2, 2] });
    expect(digestCounts()).toEqual({ webhook: 2, slack: 2, email: 2 });
    const days = await db.query<{ day: string; count: string }>(
      "SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::text AS count FROM notification_deliveries GROUP BY 1 ORDER BY 1",
    );
    expect(days).toEqual([
      { day: "2026-12-05", count: "12" },
      { day: "2026-12-06", count: "12" },
    ]);
  });
});
