import "server-only";
import { resolve } from "node:path";
import type { Env } from "./env";

export type RuntimeFact = { label: string; value: string };

/** What Settings shows about how this server runs; credentials are never part of it. */
export function describeRuntime(env: Env): RuntimeFact[] {
  let database = "not configured";
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    const where = `${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
    database = env.SEALDECK_DATABASE_EMBEDDED === "1" ? `embedded Postgres (${where})` : `external Postgres (${where})`;
  }
  return [
    { label: "Database", value: database },
    { label: "Data directory", value: resolve(env.SEALDECK_DATA_DIR) },
    { label: "Mode", value: env.NODE_ENV },
    { label: "Log level", value: env.LOG_LEVEL },
  ];
}
