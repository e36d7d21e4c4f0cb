import { describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { recordAuthEvent } from "./record-auth-event";

describe("recordAuthEvent → the audit log", () => {
  const { prisma } = setupMigratedDatabase();

  it("appends sign-in and access-control events to the hash chain", async () => {
    await recordAuthEvent(prisma, {
      type: "auth.sign-in-failed",
      actor: null,
      subject: "dana",
      ip: "192.0.2.7",
      details: { reason: "wrong-password" },
    });
    await recordAuthEvent(prisma, {
      type: "auth.grant-added",
      actor: "admin",
      actorRole: "admin",
      subject: "dana",
      details: { cluster: "sandbox", namespace: "staging" },
    });
    const events = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ["auth.sign_in_failed", "failure"],
      ["auth.grant_added", "success"],
    ]);
    expect(events[0]).toMatchObject({
      actorName: null,
      actorIp: "192.0.2.7",
      targetKind: "User",
      targetName: "dana",
    });
    expect(events[1]).toMatchObject({
      actorName: "admin",
      actorRole: "admin",
      targetCluster: "sandbox",
      targetNamespace: "staging",
    });
  });

  it("fails closed: inside a transaction, a refused event rolls the change back", async () => {
    const before = await prisma.user.count();
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.user.create({ data: { username: "ghost", displayName: "Ghost", role: "auditor" } });
        // A details key that looks like it could hold a secret is refused by the audit log.
        await recordAuthEvent(tx, {
          type: "auth.user-created",
          actor: "cli",
          subject: "ghost",
          details: { password: "x" },
        });
      }),
    ).rejects.toThrow(/audit/);
    expect(await prisma.user.count()).toBe(before);
  });
});
