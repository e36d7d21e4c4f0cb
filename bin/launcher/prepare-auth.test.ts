import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoUsers } from "@/lib/auth/demo-users";
import { verifyPassword } from "@/lib/auth/password-hash";
import { parseEnv } from "@/lib/config/env";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { prepareAuth } from "./prepare-auth";

describe("prepareAuth", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sealdeck-auth-"));
  const { url, prisma } = setupMigratedDatabase();
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) =>
    parseEnv({ SEALDECK_DATA_DIR: dataDir, PORT: "4321", HOSTNAME: "0.0.0.0", ...extra });

  it("creates one admin with a one-time password printed once, and a cookie secret kept in a 0600 file", async () => {
    const lines: string[] = [];
    const first = await prepareAuth(env(), { databaseUrl: url, sandbox: false }, (line) => lines.push(line));
    expect(first.created).toEqual(["admin"]);
    expect(first.env.NEXTAUTH_URL).toBe("http://localhost:4321");
    const secretFile = join(dataDir, "auth-secret");
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretFile, "utf8").trim()).toBe(first.env.NEXTAUTH_SECRET);
    const password = /one-time password (\S+) /.exec(lines.join("\n"))?.[1] ?? "";
    const admin = await prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
    expect(admin).toMatchObject({ role: "admin", mustChangePassword: true });
    expect(await verifyPassword(password, admin.passwordHash!)).toBe(true);

    // Second start: same secret (sessions survive restarts), no new user, nothing printed.
    const again: string[] = [];
    const second = await prepareAuth(env(), { databaseUrl: url, sandbox: false }, (line) => again.push(line));
    expect(second.env.NEXTAUTH_SECRET).toBe(first.env.NEXTAUTH_SECRET);
    expect(second.created).toEqual([]);
    expect(again).toEqual([]);
  });

  it("uses NEXTAUTH_SECRET / NEXTAUTH_URL from the environment, and creates no admin when an identity provider is configured", async () => {
    await prisma.user.deleteMany();
    const configured = env({
      NEXTAUTH_SECRET: "s".repeat(40),
      NEXTAUTH_URL: "https://sealdeck.example.com",
      SEALDECK_OIDC_ISSUER: "https://idp.example.com/realms/x",
      SEALDECK_OIDC_CLIENT_ID: "sealdeck",
      SEALDECK_OIDC_CLIENT_SECRET: "client-secret",
    });
    const result = await prepareAuth(configured, { databaseUrl: url, sandbox: false }, () => undefined);
    expect(result.env).toEqual({
      NEXTAUTH_SECRET: "s".repeat(40),
      NEXTAUTH_URL: "https://sealdeck.example.com",
    });
    expect(await prisma.user.count()).toBe(0);
  });

  it("in sandbox mode creates the demo users, one per role, with their documented passwords", async () => {
    const result = await prepareAuth(env(), { databaseUrl: url, sandbox: true }, () => undefined);
    expect(result.created).toEqual(demoUsers.map((u) => u.username));
    const users = await prisma.user.findMany({ include: { grants: true } });
    expect(new Set(users.map((u) => u.role))).toEqual(
      new Set(["developer", "security-lead", "auditor", "admin"]),
    );
    for (const demo of demoUsers) {
      const row = users.find((u) => u.username === demo.username)!;
      expect(row.mustChangePassword).toBe(false);
      expect(await verifyPassword(demo.password, row.passwordHash!)).toBe(true);
    }
    expect((await prepareAuth(env(), { databaseUrl: url, sandbox: true }, () => undefined)).created).toEqual(
      [],
    );
  });
});
