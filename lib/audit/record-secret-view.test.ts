import { beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors/app-error";
import type { AuditEventInput } from "./audit-event-input";
import type { AuditAppender } from "./create-audit-appender";
import { recordSecretView, resetSecretViewThrottle } from "./record-secret-view";

// Access history without a flood: one `secret.viewed` per user and secret per five minutes; a view
// that cannot be recorded throws (the page is refused) and is tried again at the next visit.

const person = (userId: string): Principal => ({
  sessionId: "s",
  userId,
  username: userId,
  displayName: userId,
  role: "developer",
  mustChangePassword: false,
  grants: [],
});

function recorder(fail = false) {
  const events: AuditEventInput[] = [];
  const appender: AuditAppender = {
    async append(input) {
      if (fail)
        throw new AppError("unavailable", "the audit log could not record this action, so it was refused");
      events.push(input);
      return { seq: String(events.length), time: new Date().toISOString(), hash: "0".repeat(64) };
    },
  };
  return { events, appender };
}

const db = { cluster: "sandbox", namespace: "payments", kind: "SealedSecret", name: "db" };
const client = { ip: "10.0.0.9", userAgent: "Firefox" };

describe("recordSecretView", () => {
  beforeEach(() => resetSecretViewThrottle());

  it("records who viewed which secret, from where", async () => {
    const { events, appender } = recorder();
    await recordSecretView(person("ada"), db, { client, appender, now: 0 });
    expect(events).toEqual([
      {
        actor: { userId: "ada", name: "ada", role: "developer", ip: "10.0.0.9", userAgent: "Firefox" },
        action: "secret.viewed",
        target: { cluster: "sandbox", namespace: "payments", kind: "SealedSecret", name: "db" },
        outcome: "success",
      },
    ]);
  });

  it("records at most one view per user and secret per five minutes", async () => {
    const { events, appender } = recorder();
    const minute = 60_000;
    for (const now of [0, 1, 2 * minute, 4 * minute + 59_999]) {
      await recordSecretView(person("ada"), db, { client, appender, now });
    }
    await recordSecretView(person("grace"), db, { client, appender, now: minute });
    await recordSecretView(person("ada"), { ...db, name: "api" }, { client, appender, now: minute });
    await recordSecretView(person("ada"), db, { client, appender, now: 5 * minute });
    expect(events.map((e) => `${e.actor?.userId} ${e.target?.name}`)).toEqual([
      "ada db",
      "grace db",
      "ada api",
      "ada db",
    ]);
  });

  it("records a cluster-scoped secret without a namespace", async () => {
    const { events, appender } = recorder();
    await recordSecretView(
      person("ada"),
      { ...db, namespace: "-", kind: "ClusterExternalSecret" },
      { client, appender },
    );
    expect(events[0]?.target).toMatchObject({ namespace: null, kind: "ClusterExternalSecret" });
  });

  it("fails closed and tries again next time when the view cannot be recorded", async () => {
    await expect(
      recordSecretView(person("ada"), db, { client, appender: recorder(true).appender, now: 0 }),
    ).rejects.toThrow(/could not record/);
    const { events, appender } = recorder();
    await recordSecretView(person("ada"), db, { client, appender, now: 1 });
    expect(events).toHaveLength(1);
  });
});
