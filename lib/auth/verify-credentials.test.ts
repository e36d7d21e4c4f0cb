import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { hashPassword } from "./password-hash";
import { verifyCredentials } from "./verify-credentials";

vi.mock("./record-auth-event", () => ({ recordAuthEvent: vi.fn(async () => undefined) }));

const policy = { attempts: 3, minutes: 15 };
const password = "correct horse battery";

describe("verifyCredentials (local accounts)", () => {
  const { prisma } = setupMigratedDatabase();
  let ipCounter = 0;
  // A fresh address per test keeps the rate limit out of the lockout tests.
  const ip = () => `10.0.0.${++ipCounter}`;

  beforeEach(async () => {
    await prisma.signInBucket.deleteMany();
    await prisma.user.deleteMany();
    await prisma.user.create({
      data: {
        username: "dana",
        displayName: "Dana",
        role: "developer",
        passwordHash: await hashPassword(password),
      },
    });
  });

  it("signs in with the right password, case-insensitive username, and resets the failure count", async () => {
    await prisma.user.update({ where: { username: "dana" }, data: { failedSignIns: 2 } });
    const user = await verifyCredentials(prisma, { username: " Dana ", password, ip: ip() }, policy);
    expect(user).toMatchObject({ username: "dana", displayName: "Dana" });
    expect((await prisma.user.findUniqueOrThrow({ where: { username: "dana" } })).failedSignIns).toBe(0);
  });

  it("answers an unknown user exactly like a wrong password", async () => {
    expect(await verifyCredentials(prisma, { username: "nobody", password, ip: ip() }, policy)).toBeNull();
    expect(
      await verifyCredentials(prisma, { username: "dana", password: "wrong", ip: ip() }, policy),
    ).toBeNull();
    expect(await verifyCredentials(prisma, { username: "", password: "", ip: ip() }, policy)).toBeNull();
  });

  it("locks the account after N failures for M minutes, even against the right password, then unlocks", async () => {
    const now = new Date("2030-01-01T10:00:00Z");
    for (let i = 0; i < policy.attempts; i++) {
      expect(
        await verifyCredentials(prisma, { username: "dana", password: "wrong", ip: ip() }, policy, now),
      ).toBeNull();
    }
    const locked = await prisma.user.findUniqueOrThrow({ where: { username: "dana" } });
    expect(locked.lockedUntil?.toISOString()).toBe("2030-01-01T10:15:00.000Z");
    // Locked: the right password is refused with the same answer.
    const during = new Date("2030-01-01T10:14:59Z");
    expect(
      await verifyCredentials(prisma, { username: "dana", password, ip: ip() }, policy, during),
    ).toBeNull();
    const after = new Date("2030-01-01T10:15:01Z");
    expect(
      await verifyCredentials(prisma, { username: "dana", password, ip: ip() }, policy, after),
    ).not.toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { username: "dana" } })).lockedUntil).toBeNull();
  });

  it("fewer failures than the limit do not lock", async () => {
    for (let i = 0; i < policy.attempts - 1; i++) {
      await verifyCredentials(prisma, { username: "dana", password: "wrong", ip: ip() }, policy);
    }
    expect(await verifyCredentials(prisma, { username: "dana", password, ip: ip() }, policy)).not.toBeNull();
  });

  it("upgrades a hash made with weaker parameters at the next successful sign-in", async () => {
    const weak = await hashPassword(password, { ln: 12, r: 8, p: 1, len: 64 });
    await prisma.user.update({ where: { username: "dana" }, data: { passwordHash: weak } });
    await verifyCredentials(prisma, { username: "dana", password, ip: ip() }, policy);
    const { passwordHash } = await prisma.user.findUniqueOrThrow({ where: { username: "dana" } });
    expect(passwordHash?.startsWith("scrypt$ln=15,r=8,p=1,len=64$")).toBe(true);
  });

  it("rate-limits one address hammering one username, with a message that says nothing about the account", async () => {
    const address = "192.0.2.1";
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      try {
        await verifyCredentials(
          prisma,
          { username: `guess${i % 2}`, password: "x", ip: address },
          { attempts: 100, minutes: 1 },
        );
        outcomes.push("checked");
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe("rate_limited");
        expect((error as AppError).message).not.toMatch(/guess|exist|unknown/i);
        outcomes.push("limited");
      }
    }
    // 10 per address + username: two usernames alternate, so nothing is limited yet...
    expect(outcomes.every((o) => o === "checked")).toBe(true);
    for (let i = 0; i < 10; i++) {
      await verifyCredentials(
        prisma,
        { username: "guess0", password: "x", ip: address },
        { attempts: 100, minutes: 1 },
      ).catch(() => null);
    }
    // ...but one username from one address is, after its burst of 10.
    await expect(
      verifyCredentials(prisma, { username: "guess0", password: "x", ip: address }, policy),
    ).rejects.toThrow(/Too many/);
    await expect(
      verifyCredentials(prisma, { username: "dana", password, ip: "192.0.2.2" }, policy),
    ).resolves.not.toBeNull();
  });
});
