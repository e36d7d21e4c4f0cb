import { beforeAll, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { checkDatabase } from "./check-database";

// /api/readyz during a rolling upgrade: the new version has migrated the database; this (older)
// version stays ready beside newer expand-only migrations and turns unready for any other.

const { prisma, query } = setupMigratedDatabase({ appClient: true });
// checkDatabase gives up after 3 s; a cold client's first query must not count against it on a busy machine.
beforeAll(async () => {
  await prisma.$queryRawUnsafe("SELECT 1");
});

/** What the newer version's `sealdeck db migrate` leaves behind for one migration this build lacks. */
async function appliedByNewerVersion(name: string, expandOnly: boolean) {
  await query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
     VALUES (gen_random_uuid()::text, repeat('0', 64), $1, now(), 1)`,
    [name],
  );
  await query(`INSERT INTO migration_compatibility (migration_name, expand_only) VALUES ($1, $2)`, [
    name,
    expandOnly,
  ]);
}

describe("checkDatabase during a rolling upgrade", () => {
  it("is ready when the database is exactly this version's", async () => {
    expect(await checkDatabase()).toEqual({ name: "database", ok: true });
  });

  it("stays ready beside a newer expand-only migration, and says so", async () => {
    await appliedByNewerVersion("20991231000000_add_note", true);
    expect(await checkDatabase()).toEqual({
      name: "database",
      ok: true,
      reason: "newer expand-only migrations applied (this version keeps serving): 20991231000000_add_note",
    });
  });

  it("turns unready for a newer migration not declared expand-only, naming it", async () => {
    await appliedByNewerVersion("20991231000001_rename_value", false);
    const check = await checkDatabase();
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/not declared expand-only: 20991231000001_rename_value;/);
  });

  it("turns unready for a newer migration applied without the record (e.g. by prisma migrate deploy)", async () => {
    await query(`DELETE FROM migration_compatibility WHERE migration_name LIKE '2099%'`);
    const check = await checkDatabase();
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/20991231000000_add_note, 20991231000001_rename_value/);
  });
});
