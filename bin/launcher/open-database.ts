import { join, resolve } from "node:path";
import type { Env } from "@/lib/config/env";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate, type MigrateResult } from "@/lib/db/migrate";
import { CliError } from "../command";

export type OpenDatabase = { url: string; embedded: boolean; migrated: MigrateResult; stop(): Promise<void> };

/** Errors from pg can quote the connection string; say what went wrong in our own words. */
export function describeConnectError(error: unknown, source: string): string {
  const code = (error as { code?: string } | null)?.code;
  const reasons: Record<string, string> = {
    ENOTFOUND: "host not found",
    EAI_AGAIN: "host not found (DNS lookup failed)",
    ECONNREFUSED: "connection refused",
    ETIMEDOUT: "connection timed out",
    "28P01": "password authentication failed",
    "28000": "the server refused this user",
    "3D000": "database does not exist",
  };
  const reason =
    (code && reasons[code]) ?? (error instanceof Error ? error.message.split("\n")[0] : String(error));
  return `cannot use the database from ${source}: ${reason}`;
}

/**
 * DATABASE_URL when set, else the embedded Postgres in <data dir>/postgres; migrated either way. When a
 * running dashboard already owns that Postgres, CLI commands connect to it and leave it running
 * (`ifInUse: "connect"`, the default); a second launcher refuses instead (`"refuse"`).
 */
export async function openDatabase(
  env: Env,
  log: (line: string) => void,
  options: { ifInUse?: "connect" | "refuse" } = {},
): Promise<OpenDatabase> {
  if (env.DATABASE_URL) {
    try {
      const migrated = await migrate(env.DATABASE_URL);
      return { url: env.DATABASE_URL, embedded: false, migrated, stop: async () => undefined };
    } catch (error) {
      if ((error as Error).name === "MigrationError") throw error;
      throw new CliError(describeConnectError(error, "DATABASE_URL"));
    }
  }
  const dataDir = resolve(join(env.SEALDECK_DATA_DIR, "postgres"));
  log(`starting the embedded Postgres (data in ${dataDir})`);
  const db = await startEmbeddedPostgres({ dataDir, ifInUse: options.ifInUse ?? "connect" });
  if (db.dataDir !== dataDir)
    log(`the postgres user cannot enter ${dataDir}: the database files are in ${db.dataDir} instead`);
  if (db.shared) log("the embedded Postgres is already running (a dashboard owns it): connected to it");
  try {
    const migrated = await migrate(db.url);
    return { url: db.url, embedded: true, migrated, stop: db.stop };
  } catch (error) {
    await db.stop();
    throw error;
  }
}
