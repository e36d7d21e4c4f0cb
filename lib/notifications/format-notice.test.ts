import { describe, expect, it } from "vitest";
import type { NotificationItem } from "@/lib/validations/notifications";
import { buildNotice, NOTICE_MAX_LISTED, noticeText, slackBody, webhookBody } from "./format-notice";
import { redactError } from "./send-to-channel";

const item = (i: number): NotificationItem => ({
  key: `rotation-overdue:prod/payments/SealedSecret/db-${i}#password`,
  kind: "rotation-overdue",
  cluster: "prod",
  namespace: "payments",
  secretKind: "SealedSecret",
  name: `db-${i}`,
  secretKey: "password",
  summary: "rotation was due 2026-11-30 (at most every 90 days, default)",
  url: `https://sealdeck.example.com/rotations?text=db-${i}`,
});

describe("notices", () => {
  it("lists the first items and counts the rest, in text, Slack blocks and JSON alike", () => {
    const items = Array.from({ length: NOTICE_MAX_LISTED + 5 }, (_, i) => item(i));
    const notice = buildNotice({ kind: "immediate", day: "2026-12-05", items });
    expect(notice.title).toBe(`Sealdeck: ${NOTICE_MAX_LISTED + 5} × rotation overdue`);
    const text = noticeText(notice);
    expect(text).toContain(
      "Rotation overdue: SealedSecret payments/db-0 key password on prod – rotation was due",
    );
    expect(text).toContain("…and 5 more.");
    expect(text).not.toContain(`db-${NOTICE_MAX_LISTED}`);
    const slack = slackBody(notice);
    expect(slack.text).toBe(text);
    expect(slack.blocks).toHaveLength(1 + NOTICE_MAX_LISTED + 1);
    expect(webhookBody(notice, new Date("2026-12-05T08:00:00.000Z"))).toMatchObject({
      type: "sealdeck.notification",
      kind: "immediate",
      total: NOTICE_MAX_LISTED + 5,
      counts: { "rotation-overdue": NOTICE_MAX_LISTED + 5 },
    });
    expect(buildNotice({ kind: "digest", day: "2026-12-05", items: [] }).title).toBe(
      "Sealdeck daily digest 2026-12-05: nothing overdue, every secret syncing",
    );
  });

  it("keeps a channel's secrets, and a Slack URL's token path, out of error texts", () => {
    const url = "https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX";
    const error = new Error(`request to ${url} failed`, {
      cause: new Error("connect ECONNREFUSED /services/T000/B000/XXXXsecretXXXX"),
    });
    const text = redactError(error, [url, "hunter2-password"]);
    expect(text).not.toContain("XXXXsecretXXXX");
    expect(text).toBe("request to [redacted] failed: connect ECONNREFUSED /[redacted]");
    expect(redactError(new Error("535 auth failed for hunter2-password"), ["hunter2-password"])).toBe(
      "535 auth failed for [redacted]",
    );
    expect(redactError(new Error("x".repeat(1000)), []).length).toBe(300);
  });
});
