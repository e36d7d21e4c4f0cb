import "server-only";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export type MigrationFile = {
  /** Folder name, e.g. `20261123120000_init`: Prisma's `migration_name`. */
  name: string;
  sql: string;
  /** SHA-256 hex of the file's bytes, as Prisma stores it in `_prisma_migrations.checksum`. */
  checksum: string;
  /** The first line is `-- sealdeck: expand-only`: the previous version keeps working beside it. */
  expandOnly: boolean;
};

/** The first line a migration that only adds (docs/operations.md, "Upgrades and migrations") starts with. */
export const EXPAND_ONLY_MARKER = "-- sealdeck: expand-only";

export const defaultMigrationsDir = join(process.cwd(), "prisma", "migrations");

/** Reads `prisma/migrations/<timestamp>_<name>/migration.sql` in Prisma's order (folder name order). */
export async function readMigrations(dir = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(dir, name, "migration.sql"));
      const sql = bytes.toString("utf8");
      return {
        name,
        sql,
        checksum: createHash("sha256").update(bytes).digest("hex"),
        expandOnly: (sql.split("\n", 1)[0] ?? "").trim() === EXPAND_ONLY_MARKER,
      };
    }),
  );
}
