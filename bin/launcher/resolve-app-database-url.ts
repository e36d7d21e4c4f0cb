import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Env } from "@/lib/config/env";
import { ensureAppRole } from "@/lib/db/ensure-app-role";
import { isAppError } from "@/lib/errors/app-error";

/** The runtime role's password: stable across starts (other replicas log in with it), never logged. */
function appRolePassword(env: Env, environment: Record<string, string | undefined>): string {
  const fromEnv = environment.SEALDECK_DATABASE_APP_PASSWORD;
  if (fromEnv) return fromEnv;
  const dir = resolve(env.SEALDECK_DATA_DIR);
  const file = join(dir, "postgres.app-password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  // With an external database nothing else has created the data directory yet.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * The URL the app runs with: a restricted role (lib/db/ensure-app-role.ts) that cannot disable the audit
 * log's triggers, unlike the owner that migrates. A database user without CREATEROLE cannot set that up;
 * then the app uses the owner's URL and says loudly what protection is lost.
 */
export async function resolveAppDatabaseUrl(
  ownerUrl: string,
  env: Env,
  log: (line: string) => void,
  environment: Record<string, string | undefined> = process.env,
): Promise<string> {
  try {
    const role = await ensureAppRole(ownerUrl, {
      // A managed Postgres may have its runtime role created by hand, under a name of its own.
      role: environment.SEALDECK_DATABASE_APP_ROLE || undefined,
      password: appRolePassword(env, environment),
    });
    return role.url;
  } catch (error) {
    if (!isAppError(error) || error.code !== "forbidden") throw error;
    log(
      `warning: ${error.message}; the app will use the owner role, which could disable the audit log's ` +
        "append-only triggers. Grant CREATEROLE once, or see README (Using an external Postgres).",
    );
    return ownerUrl;
  }
}
