import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyPassword } from "@/lib/auth/password-hash";
import { runCommandInProcess } from "@/lib/testing/run-command-in-process";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { runSealdeck } from "../testing/run-sealdeck";
import userCommand from "./user";

describe("sealdeck user", () => {
  const { url, prisma } = setupMigratedDatabase();
  beforeAll(() => {
    vi.stubEnv("DATABASE_URL", url);
    vi.stubEnv("LOG_LEVEL", "warn");
  });
  afterAll(() => vi.unstubAllEnvs());

  // The real CLI entry point, against this file's own database; only warnings are logged. Spawned where
  // the process is what is tested (its output, exit codes, help); the other runs call the command here.
  const cli = (...args: string[]) =>
    runSealdeck(["user", ...args], { env: { DATABASE_URL: url, LOG_LEVEL: "warn" } });
  const user = (...args: string[]) => runCommandInProcess(userCommand, args);

  it("creates a local account with a one-time password that must be changed", async () => {
    const { code, stdout } = await cli(
      "create",
      "Carol",
      "--role",
      "developer",
      "--name",
      "Carol C",
      "--grant",
      "sandbox/staging",
      "--grant",
      "*/development",
    );
    expect(code).toBe(0);
    const password = /one-time password: (\S+)$/m.exec(stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const row = await prisma.user.findUniqueOrThrow({
      where: { username: "carol" },
      include: { grants: true },
    });
    expect(row).toMatchObject({ displayName: "Carol C", role: "developer", mustChangePassword: true });
    expect(row.passwordHash).not.toContain(password!);
    expect(await verifyPassword(password!, row.passwordHash!)).toBe(true);
    expect(row.grants.map((g) => `${g.cluster}/${g.namespace}`).sort()).toEqual([
      "*/development",
      "sandbox/staging",
    ]);
    expect((await user("create", "carol", "--role", "auditor")).stderr).toContain(
      'user "carol" already exists',
    );
  });

  it("sets roles, grants and revokes, and refuses bad input with exit 2", async () => {
    expect((await user("set-role", "carol", "security-lead")).code).toBe(0);
    expect((await prisma.user.findUniqueOrThrow({ where: { username: "carol" } })).role).toBe(
      "security-lead",
    );
    expect((await user("grant", "carol", "prod/payments")).code).toBe(0);
    expect((await user("revoke", "carol", "sandbox/staging")).code).toBe(0);
    const grants = await prisma.namespaceGrant.findMany({ where: { user: { username: "carol" } } });
    expect(grants.map((g) => `${g.cluster}/${g.namespace}`).sort()).toEqual([
      "*/development",
      "prod/payments",
    ]);

    expect((await user("set-role", "carol", "root")).code).toBe(2);
    expect((await user("grant", "carol", "Not_A/namespace")).code).toBe(2);
    expect((await cli("frobnicate")).code).toBe(2);
    expect((await user("set-role", "nobody", "admin")).stderr).toContain('no user named "nobody"');
  });

  it("resets a password: new one-time password, unlocked, signed out everywhere", async () => {
    const carol = await prisma.user.update({
      where: { username: "carol" },
      data: { mustChangePassword: false, failedSignIns: 3, lockedUntil: new Date(Date.now() + 60_000) },
    });
    await prisma.authSession.create({
      data: { id: "s1", userId: carol.id, provider: "credentials", expiresAt: new Date(Date.now() + 60_000) },
    });
    const { code, stdout } = await user("reset-password", "carol");
    expect(code).toBe(0);
    const password = /one-time password: (\S+)$/m.exec(stdout)?.[1] ?? "";
    const row = await prisma.user.findUniqueOrThrow({ where: { username: "carol" } });
    expect(row).toMatchObject({ mustChangePassword: true, failedSignIns: 0, lockedUntil: null });
    expect(await verifyPassword(password, row.passwordHash!)).toBe(true);
    expect((await prisma.authSession.findUniqueOrThrow({ where: { id: "s1" } })).revokedAt).toBeInstanceOf(
      Date,
    );
  });

  it("has help that names every subcommand", async () => {
    const { code, stdout } = await cli("create", "--help");
    expect(code).toBe(0);
    for (const sub of ["list", "create", "reset-password", "set-role", "grant", "revoke"])
      expect(stdout).toContain(`sealdeck user ${sub}`);
  });
});
