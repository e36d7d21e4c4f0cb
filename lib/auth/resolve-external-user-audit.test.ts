import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/db/generated/client";
import { createPrismaClient } from "@/lib/db/prisma";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createAuthSession } from "./create-auth-session";
import { listUsers } from "./list-users";
import { groupMappingSettingKey } from "./map-groups-to-access";
import { resolveExternalUser, type ExternalIdentity } from "./resolve-external-user";

// Issue #17: grants carry their source, the mapping only replaces its own, every change it makes is
// audited, and a user who left every mapped group loses access and open sessions at once.

const identity = (subject: string, username: string, groups: string[]): ExternalIdentity => ({
  provider: "oidc",
  subject,
  username,
  displayName: username,
  email: null,
  groups,
});

describe("resolveExternalUser: grant sources, audit, demotion, bootstrap admins", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const events = async (subject: string) =>
    (await prisma.auditEvent.findMany({ where: { targetName: subject }, orderBy: { seq: "asc" } })).map(
      (event) => ({ action: event.action, details: event.details }),
    );
  const grantsOf = async (userId: string) =>
    (await prisma.namespaceGrant.findMany({ where: { userId }, orderBy: { namespace: "asc" } })).map(
      (grant) => `${grant.cluster}/${grant.namespace}:${grant.source}`,
    );

  beforeAll(async () => {
    db = await createMigratedDatabase();
    prisma = createPrismaClient(db.url);
    await prisma.setting.create({
      data: {
        key: groupMappingSettingKey,
        value: [
          { group: "devs", role: "developer", grants: [{ cluster: "prod", namespace: "payments" }] },
          { group: "billing", grants: [{ cluster: "prod", namespace: "billing" }] },
          { group: "admins", role: "admin" },
        ],
      },
    });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it("replaces only mapping-owned grants, keeps an admin's, and audits each change", async () => {
    const first = await resolveExternalUser(prisma, identity("s-1", "gina", ["devs", "billing"]));
    if (!first.userId) throw new Error("expected a user");
    const userId = first.userId;
    expect(await grantsOf(userId)).toEqual(["prod/billing:mapping", "prod/payments:mapping"]);
    // An admin adds a grant by hand (Settings → Users and access).
    await prisma.namespaceGrant.create({
      data: { userId, cluster: "prod", namespace: "orders", source: "admin", createdBy: "root" },
    });

    expect((await resolveExternalUser(prisma, identity("s-1", "gina", ["devs"]))).userId).toBe(userId);
    expect(await grantsOf(userId)).toEqual(["prod/orders:admin", "prod/payments:mapping"]);
    expect(await events("gina")).toEqual([
      {
        action: "auth.user_created",
        details: { role: "developer", provider: "oidc", source: "group-mapping" },
      },
      { action: "auth.grant_added", details: { source: "group-mapping" } },
      { action: "auth.grant_added", details: { source: "group-mapping" } },
      { action: "auth.grant_removed", details: { source: "group-mapping" } },
    ]);
    // Settings → Users and access says which grants follow the groups and which an admin added.
    const listed = (await listUsers(prisma)).find((user) => user.username === "gina");
    expect(listed?.grants.map((grant) => `${grant.namespace}:${grant.source}`)).toEqual([
      "orders:admin",
      "payments:mapping",
    ]);
    const removed = await prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.grant_removed" } });
    expect([removed.targetCluster, removed.targetNamespace]).toEqual(["prod", "billing"]);
  });

  it("demotes a user who left every mapped group, keeps admin grants, and revokes open sessions", async () => {
    const { userId } = await resolveExternalUser(prisma, identity("s-2", "hank", ["admins", "devs"]));
    if (!userId) throw new Error("expected a user");
    await prisma.namespaceGrant.create({ data: { userId, cluster: "prod", namespace: "orders" } });
    const session = await createAuthSession(prisma, { userId, provider: "oidc", hours: 12 });

    expect(await resolveExternalUser(prisma, identity("s-2", "hank", ["everyone"]))).toEqual({
      userId: null,
      demoted: "hank",
    });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.role).toBe("developer");
    expect(await grantsOf(userId)).toEqual(["prod/orders:admin"]);
    const stored = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(stored.revokedAt).toBeInstanceOf(Date);
    expect((await events("hank")).slice(-3)).toEqual([
      { action: "auth.role_changed", details: { from: "admin", to: "developer", source: "group-mapping" } },
      { action: "auth.grant_removed", details: { source: "group-mapping" } },
      {
        action: "auth.sessions_revoked",
        details: { sessions: 1, reason: "no-role-for-groups", source: "group-mapping" },
      },
    ]);
  });

  it("makes the identities named by SEALDECK_SSO_ADMIN_GROUPS / _USERS admins, mapped or not", async () => {
    const admins = { groups: ["platform"], users: ["ivy"] };
    const byGroup = await resolveExternalUser(prisma, identity("s-3", "jon", ["platform", "devs"]), admins);
    expect(byGroup).toMatchObject({ role: "admin" });
    const byName = await resolveExternalUser(prisma, identity("s-4", "ivy", []), admins);
    expect(byName).toMatchObject({ role: "admin" });
    expect(await resolveExternalUser(prisma, identity("s-5", "kim", []), admins)).toEqual({
      userId: null,
      demoted: null,
    });
  });
});
