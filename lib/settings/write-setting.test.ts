import { beforeEach, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";
import { readSetting } from "./read-setting";
import { settingDefinitions } from "./setting-keys";
import { saveSetting, writeSetting } from "./write-setting";

// Invariant 3 for settings: the audit event goes first, in the same transaction, and a setting whose
// audit event cannot be written stays as it was.

const database = setupMigratedDatabase({ appClient: true });
const { prisma, query } = database;
const principal = { userId: "u-admin", username: "ada", role: "admin" as const };

beforeEach(async () => {
  await prisma.setting.deleteMany({});
});

const retention = settingDefinitions.auditRetention;
const summarize = (previous: number | null, next: number | null) => ({ from: previous, to: next });

describe("readSetting", () => {
  it("gives the fallback when nothing is stored, and reports an invalid stored value instead of using it", async () => {
    expect(await readSetting(retention)).toMatchObject({ stored: false, value: null, error: null });
    await prisma.setting.create({ data: { key: retention.key, value: 7, updatedBy: "someone" } });
    const read = await readSetting(retention);
    expect(read).toMatchObject({ stored: true, value: null, updatedBy: "someone" });
    expect(read.error).toMatch(/at least 30 days/);
  });
});

describe("writeSetting", () => {
  it("appends settings.changed first, then writes the row, in one transaction", async () => {
    const order: string[] = [];
    await prisma.$transaction(async (tx) => {
      await writeSetting(tx, retention, { value: 90, principal, summarize });
      const audit = await tx.$queryRawUnsafe<{ action: string }[]>("SELECT action FROM audit_events");
      const row = await tx.setting.findUnique({ where: { key: retention.key } });
      order.push(...audit.map((a) => a.action), row ? "row" : "no row");
    });
    expect(order).toEqual(["settings.changed", "row"]);
    expect(await readSetting(retention)).toMatchObject({ stored: true, value: 90, updatedBy: "ada" });
    const [event] = await query<{ actor_name: string; target_name: string; details: unknown }>(
      "SELECT actor_name, target_name, details FROM audit_events ORDER BY seq DESC LIMIT 1",
    );
    expect(event).toEqual({
      actor_name: "ada",
      target_name: "audit.retention-days",
      details: { key: "audit.retention-days", reset: false, from: null, to: 90 },
    });
  });

  it("refuses an invalid value with a helpful message and writes nothing", async () => {
    const before = await query<{ n: string }>("SELECT count(*)::text AS n FROM audit_events");
    await expect(saveSetting(retention, { value: 10, principal, summarize })).rejects.toMatchObject({
      code: "unprocessable",
      message: expect.stringMatching(/at least 30 days/),
    });
    expect(await prisma.setting.count()).toBe(0);
    expect(await query<{ n: string }>("SELECT count(*)::text AS n FROM audit_events")).toEqual(before);
  });

  it("removes the row on reset, audited as a reset", async () => {
    await saveSetting(retention, { value: 400, principal, summarize });
    await saveSetting(retention, { value: undefined, principal, summarize });
    expect(await readSetting(retention)).toMatchObject({ stored: false, value: null });
    const [event] = await query<{ details: Record<string, unknown> }>(
      "SELECT details FROM audit_events ORDER BY seq DESC LIMIT 1",
    );
    expect(event?.details).toMatchObject({ reset: true, from: 400, to: null });
  });

  it("leaves the setting unchanged when the audit event cannot be written", async () => {
    await saveSetting(retention, { value: 120, principal, summarize });
    await withAuditLogUnavailable(database, async () => {
      await expect(saveSetting(retention, { value: 365, principal, summarize })).rejects.toMatchObject({
        code: "unavailable",
        details: { reason: "audit_write_failed" },
      });
      await expect(saveSetting(retention, { value: undefined, principal, summarize })).rejects.toMatchObject({
        code: "unavailable",
      });
    });
    expect(await readSetting(retention)).toMatchObject({ stored: true, value: 120 });
  });

  it("refuses a summary that would put a credential-like value in the audit log, and writes nothing", async () => {
    await expect(
      saveSetting(settingDefinitions.groupMapping, {
        value: [{ group: "ops", role: "admin", grants: [] }],
        principal,
        summarize: () => ({ token: "ghp_not-allowed-in-the-audit-log" }),
      }),
    ).rejects.toMatchObject({ details: { reason: "audit_write_failed" } });
    expect(await prisma.setting.count()).toBe(0);
  });

  it("validates repositories: env var names only, unique ids", async () => {
    const repositories = settingDefinitions.repositories;
    await expect(
      saveSetting(repositories, {
        value: [
          {
            provider: "github",
            repository: "acme/gitops",
            auth: { type: "token", tokenEnv: "ghp_abcdefabcdef" },
          },
        ] as never,
        principal,
        summarize: () => ({}),
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/environment variable name/) });
    await expect(
      saveSetting(repositories, {
        value: [
          { provider: "plain-git", remote: "/srv/a" },
          { provider: "plain-git", remote: "/srv/b" },
        ] as never,
        principal,
        summarize: () => ({}),
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/its own id/) });
    expect(await prisma.setting.count()).toBe(0);
  });
});
