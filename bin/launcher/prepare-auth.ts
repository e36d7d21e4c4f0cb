import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Env } from "@/lib/config/env";
import { configuredProviders } from "@/lib/auth/configured-providers";
import { demoUsers } from "@/lib/auth/demo-users";
import { hashPassword } from "@/lib/auth/password-hash";
import pg from "pg";
import { createPrismaClient } from "@/lib/db/prisma";

export type PreparedAuth = { env: Record<string, string>; created: string[] };

/** NEXTAUTH_SECRET from the environment, else from <data dir>/auth-secret (created once, mode 0600). */
function authSecret(env: Env): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  const file = join(env.SEALDECK_DATA_DIR, "auth-secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
  }
  mkdirSync(env.SEALDECK_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing (too short) file keeps its old mode otherwise
  return secret;
}

/**
 * Run by the launcher after migrations: provides NEXTAUTH_SECRET and NEXTAUTH_URL to Next.js, and makes
 * sure someone can sign in. Sandbox (SEALDECK_SANDBOX=1): the demo users, one per role (sandbox only).
 * Otherwise, with no user and no identity provider: an `admin` whose one-time password is printed once
 * to the console and must be changed at first sign-in.
 */
export async function prepareAuth(
  env: Env,
  { databaseUrl, sandbox }: { databaseUrl: string; sandbox: boolean },
  print: (line: string) => void,
): Promise<PreparedAuth> {
  const host = env.HOSTNAME === "0.0.0.0" || env.HOSTNAME === "::" ? "localhost" : env.HOSTNAME;
  const additions = {
    NEXTAUTH_SECRET: authSecret(env),
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://${host}:${env.PORT}`,
  };
  // Our own pool, so that its idle connections cannot outlive this function: Postgres stops with the
  // launcher, and an idle client it disconnects would emit an unhandled 'error' and crash the launcher.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on("error", () => undefined);
  const prisma = createPrismaClient(pool);
  const created: string[] = [];
  try {
    if (sandbox) {
      for (const demo of demoUsers) {
        if (await prisma.user.findUnique({ where: { username: demo.username } })) continue;
        await prisma.user.create({
          data: {
            username: demo.username,
            displayName: demo.displayName,
            role: demo.role,
            passwordHash: await hashPassword(demo.password),
            grants: { create: demo.grants.map((grant) => ({ ...grant, createdBy: "sandbox" })) },
          },
        });
        created.push(demo.username);
      }
      if (created.length > 0)
        print(`sandbox: created demo users ${created.join(", ")} (passwords on the sign-in page)`);
    } else if ((await prisma.user.count()) === 0 && configuredProviders(env).length === 0) {
      const password = randomBytes(15).toString("base64url");
      await prisma.user.create({
        data: {
          username: "admin",
          displayName: "Administrator",
          role: "admin",
          passwordHash: await hashPassword(password),
          mustChangePassword: true,
        },
      });
      created.push("admin");
      // Printed once, to the operator's console only: it is never logged elsewhere nor stored in clear.
      print(`created user "admin" with one-time password ${password} (you must change it at first sign-in)`);
    }
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
  return { env: additions, created };
}
