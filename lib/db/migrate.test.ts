import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { getMigrationStatus, migrate, MigrationError } from "./migrate";
import { readMigrations } from "./read-migrations";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The query function getMigrationStatus takes, over a plain pg connection. */
const statusQuery =
  (url: string) =>
  async <T>(sql: string): Promise<T[]> =>
    (await query(url, sql)) as T[];

describe("migrate", () => {
  const dbs: TestDatabase[] = [];
  const dirs: string[] = [];
  const fresh = async () => {
    const db = await createEmptyDatabase();
    dbs.push(db);
    return db;
  };
  const migrationsDir = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "sealdeck-migrations-"));
    dirs.push(dir);
    for (const [name, sql] of Object.entries(files)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "migration.sql"), sql);
    }
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.drop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("records every migration in _prisma_migrations the way Prisma does", async () => {
    const db = await fresh();
    const result = await migrate(db.url);
    const onDisk = await readMigrations();
    expect(result.applied).toEqual(onDisk.map((m) => m.name));
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      id: string;
    }>(db.url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
    for (const row of rows) {
      const file = readFileSync(join("prisma", "migrations", row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const columns = await query<{ column_name: string; data_type: string }>(
      db.url,
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      "id",
      "checksum",
      "finished_at",
      "migration_name",
      "logs",
      "rolled_back_at",
      "started_at",
      "applied_steps_count",
    ]);
  });

  it("does nothing the second time", async () => {
    const db = await fresh();
    await migrate(db.url);
    const again = await migrate(db.url);
    expect(again.applied).toEqual([]);
    expect(await getMigrationStatus(statusQuery(db.url))).toEqual({
      pending: [],
      failed: [],
      unknown: [],
      newerExpandOnly: [],
    });
  });

  it("applies each migration once when several processes start together", async () => {
    const db = await fresh();
    // Not idempotent on purpose: a second application would fail on the duplicate table.
    const dir = migrationsDir({
      "20260101000000_one": `CREATE TABLE one (id int); SELECT pg_sleep(0.3);`,
      "20260101000001_two": `CREATE TABLE two (id int);`,
    });
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(db.url, { dir })));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(["20260101000000_one", "20260101000001_two"]);
    const rows = await query<{ n: string }>(db.url, `SELECT count(*) AS n FROM "_prisma_migrations"`);
    expect(rows[0]?.n).toBe("2");
  });

  it("rolls a failing migration back and leaves no record of it", async () => {
    const db = await fresh();
    const dir = migrationsDir({
      "20260101000000_ok": `CREATE TABLE ok (id int);`,
      "20260101000001_bad": `CREATE TABLE half (id int); SELECT * FROM missing_table;`,
    });
    await expect(migrate(db.url, { dir })).rejects.toThrow(MigrationError);
    await expect(migrate(db.url, { dir })).rejects.toThrow(/20260101000001_bad failed and was rolled back/);
    const tables = await query<{ t: string | null }>(db.url, `SELECT to_regclass('half')::text AS t`);
    expect(tables[0]?.t).toBeNull();
    const status = await getMigrationStatus(statusQuery(db.url), { dir });
    expect(status.pending).toEqual(["20260101000001_bad"]);
  });

  it("refuses to go on after a migration Prisma recorded as failed", async () => {
    const db = await fresh();
    const dir = migrationsDir({ "20260101000000_ok": `CREATE TABLE ok (id int);` });
    await migrate(db.url, { dir });
    await query(
      db.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('x', 'y', '20260101000001_broken')`,
    );
    await expect(migrate(db.url, { dir })).rejects.toThrow(/20260101000001_broken failed earlier/);
  });

  it("reports migrations the database has but this build does not", async () => {
    const db = await fresh();
    const dir = migrationsDir({ "20260101000000_ok": `CREATE TABLE ok (id int);` });
    await migrate(db.url, { dir });
    await query(
      db.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at) VALUES ('z', 'y', '20990101000000_future', now())`,
    );
    const status = await getMigrationStatus(statusQuery(db.url), { dir });
    expect(status.unknown).toEqual(["20990101000000_future"]);
  });
});

describe("a rolling upgrade: the database has migrations of a newer version", () => {
  const dbs: TestDatabase[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.drop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** This version's migrations plus `extra`: the next version's migrations folder. */
  const nextVersion = async (extra: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "sealdeck-next-version-"));
    dirs.push(dir);
    for (const migration of await readMigrations()) {
      mkdirSync(join(dir, migration.name));
      writeFileSync(join(dir, migration.name, "migration.sql"), migration.sql);
    }
    for (const [name, sql] of Object.entries(extra)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "migration.sql"), sql);
    }
    return dir;
  };
  const upgraded = async (extra: Record<string, string>) => {
    const db = await createEmptyDatabase();
    dbs.push(db);
    await migrate(db.url);
    await migrate(db.url, { dir: await nextVersion(extra) });
    return db;
  };

  it("reads the expand-only marker from a migration's first line only", async () => {
    const dir = await nextVersion({
      "20991231000000_add_note": "-- sealdeck: expand-only\nALTER TABLE settings ADD COLUMN note text;",
      "20991231000001_drop_note": "ALTER TABLE settings DROP COLUMN note;\n-- sealdeck: expand-only",
    });
    const byName = new Map((await readMigrations(dir)).map((m) => [m.name, m.expandOnly]));
    expect(byName.get("20991231000000_add_note")).toBe(true);
    expect(byName.get("20991231000001_drop_note")).toBe(false);
  });

  it("keeps the previous version ready beside newer expand-only migrations", async () => {
    const db = await upgraded({
      "20991231000000_add_note": "-- sealdeck: expand-only\nALTER TABLE settings ADD COLUMN note text;",
    });
    // What the previous version (this build's migrations folder) sees.
    expect(await getMigrationStatus(statusQuery(db.url))).toEqual({
      pending: [],
      failed: [],
      unknown: [],
      newerExpandOnly: ["20991231000000_add_note"],
    });
  });

  it("reports a newer migration that is not expand-only as unknown", async () => {
    const db = await upgraded({
      "20991231000000_add_note": "-- sealdeck: expand-only\nALTER TABLE settings ADD COLUMN note text;",
      "20991231000001_rename_value": "ALTER TABLE settings RENAME COLUMN value TO content;",
    });
    const status = await getMigrationStatus(statusQuery(db.url));
    expect(status.unknown).toEqual(["20991231000001_rename_value"]);
    expect(status.newerExpandOnly).toEqual(["20991231000000_add_note"]);
    const recorded = await query<{ migration_name: string; expand_only: boolean }>(
      db.url,
      `SELECT migration_name, expand_only FROM migration_compatibility WHERE migration_name LIKE '2099%' ORDER BY 1`,
    );
    expect(recorded).toEqual([
      { migration_name: "20991231000000_add_note", expand_only: true },
      { migration_name: "20991231000001_rename_value", expand_only: false },
    ]);
  });

  it("records migrations applied by another runner at the next migrate", async () => {
    const db = await createEmptyDatabase();
    dbs.push(db);
    await migrate(db.url);
    // As `prisma migrate deploy` would leave it: applied, but not in migration_compatibility.
    await query(db.url, `DELETE FROM migration_compatibility`);
    await migrate(db.url);
    const recorded = await query<{ count: string }>(
      db.url,
      `SELECT count(*)::text AS count FROM migration_compatibility`,
    );
    expect(Number(recorded[0]?.count)).toBe((await readMigrations()).length);
  });
});

describe("getMigrationStatus on an empty database", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createEmptyDatabase();
  });
  afterAll(() => db.drop());

  it("lists every migration as pending", async () => {
    const status = await getMigrationStatus(statusQuery(db.url));
    expect(status.pending).toEqual((await readMigrations()).map((m) => m.name));
  });
});
