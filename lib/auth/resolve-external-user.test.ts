import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/db/generated/client";
import { createPrismaClient } from "@/lib/db/prisma";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { groupMappingSettingKey } from "./map-groups-to-access";
import { resolveExternalUser, type ExternalIdentity } from "./resolve-external-user";

vi.mock("./record-auth-event", () => ({ recordAuthEvent: vi.fn(async () => undefined) }));

const identity = (groups: string[], subject = "sub-1"): ExternalIdentity => ({
  provider: "oidc",
  subject,
  username: "erin@example.com",
  displayName: "Erin",
  email: "erin@example.com",
  groups,
});

describe("resolveExternalUser (OIDC groups → role and grants)", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    prisma = createPrismaClient(db.url);
    await prisma.setting.create({
      data: {
        key: groupMappingSettingKey,
        value: [
          { group: "devs", role: "developer", grants: [{ cluster: "prod", namespace: "payments" }] },
          { group: "auditors", role: "auditor" },
        ],
      },
    });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it("refuses an identity in no mapped group, and creates nobody", async () => {
    expect(await resolveExternalUser(prisma, identity(["everyone"]))).toEqual({
      userId: null,
      demoted: null,
    });
    expect(await prisma.user.count()).toBe(0);
  });

  it("creates a group-managed user with the mapped role and grants, then re-applies the mapping at each sign-in", async () => {
    const id = (await resolveExternalUser(prisma, identity(["devs"]))).userId;
    const created = await prisma.user.findUniqueOrThrow({ where: { id: id! }, include: { grants: true } });
    expect(created).toMatchObject({
      role: "developer",
      managedByGroups: true,
      externalProvider: "oidc",
      passwordHash: null,
    });
    expect(created.grants.map((g) => `${g.cluster}/${g.namespace}`)).toEqual(["prod/payments"]);

    expect((await resolveExternalUser(prisma, identity(["auditors"]))).userId).toBe(id);
    const moved = await prisma.user.findUniqueOrThrow({ where: { id: id! }, include: { grants: true } });
    expect(moved.role).toBe("auditor");
    expect(moved.grants).toEqual([]);

    // Left every mapped group: no more sign-in.
    expect((await resolveExternalUser(prisma, identity([]))).userId).toBeNull();
  });

  it("keeps a role assigned in the app, whatever the groups say", async () => {
    const user = await prisma.user.findFirstOrThrow({ where: { externalSubject: "sub-1" } });
    await prisma.user.update({
      where: { id: user.id },
      data: { role: "security-lead", managedByGroups: false },
    });
    expect((await resolveExternalUser(prisma, identity([]))).userId).toBe(user.id);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("security-lead");
  });

  it("gives a colliding username a provider suffix rather than taking over a local account", async () => {
    await prisma.user.create({ data: { username: "frank", displayName: "Local Frank", role: "admin" } });
    const { userId: id } = await resolveExternalUser(prisma, {
      ...identity(["devs"], "sub-2"),
      username: "frank",
    });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: id! } })).username).toBe("frank@oidc");
    expect((await prisma.user.findUniqueOrThrow({ where: { username: "frank" } })).role).toBe("admin");
  });
});
