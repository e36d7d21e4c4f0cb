import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { Prisma, type PrismaClient } from "./generated/client";
import { createPrismaClient } from "./prisma";

// schema.prisma and the hand-written SQL migrations must describe the same database. This applies every
// migration to an empty database, then drives every model through the generated client: a column,
// type or constraint that differs between the two makes a query here fail.

type Exercise = (prisma: PrismaClient) => Promise<void>;

const exercises: Record<Prisma.ModelName, Exercise> = {
  async Setting(prisma) {
    const created = await prisma.setting.create({
      data: { key: "clusters.sandbox.environment", value: { environment: "development", tags: ["demo"] }, updatedBy: "admin" },
    });
    expect(created.updatedAt).toBeInstanceOf(Date);
    const read = await prisma.setting.findUniqueOrThrow({ where: { key: created.key } });
    expect(read.value).toEqual({ environment: "development", tags: ["demo"] });
    const updated = await prisma.setting.update({ where: { key: created.key }, data: { value: { environment: "staging" } } });
    expect(updated.value).toEqual({ environment: "staging" });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    await expect(prisma.setting.create({ data: { key: created.key, value: {} } })).rejects.toThrow();
    await prisma.setting.delete({ where: { key: created.key } });
    expect(await prisma.setting.count()).toBe(0);
  },
};

describe("schema.prisma matches the SQL migrations", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    prisma = createPrismaClient(db.url);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it("has an exercise for every model", () => {
    expect(Object.keys(exercises).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it.each(Object.values(Prisma.ModelName))("exercises %s", async (model) => {
    await exercises[model](prisma);
  });
});
