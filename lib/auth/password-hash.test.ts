import { describe, expect, it } from "vitest";
import { currentParams, hashPassword, needsRehash, parsePasswordHash, verifyPassword } from "./password-hash";

describe("password hashing (scrypt)", () => {
  it("uses the documented parameters: N=2^15, r=8, p=1, 64-byte key, 16-byte salt", async () => {
    expect(currentParams).toEqual({ ln: 15, r: 8, p: 1, len: 64 });
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^scrypt\$ln=15,r=8,p=1,len=64\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    const parsed = parsePasswordHash(stored);
    expect(parsed?.salt).toHaveLength(16);
    expect(parsed?.key).toHaveLength(64);
    expect(stored).not.toContain("correct horse battery");
  });

  it("verifies the right password only, with a fresh salt each time", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
  });

  it("keeps verifying hashes made with older parameters, and flags them for an upgrade", async () => {
    const old = await hashPassword("s3cret-enough", { ln: 12, r: 8, p: 1, len: 64 });
    expect(old.startsWith("scrypt$ln=12,")).toBe(true);
    expect(await verifyPassword("s3cret-enough", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword("s3cret-enough"))).toBe(false);
  });

  it("rejects malformed or absurd stored hashes instead of throwing or burning memory", async () => {
    for (const stored of [
      "",
      "plain",
      "scrypt$ln=30,r=8,p=1,len=64$c2FsdA==$a2V5",
      "bcrypt$2b$10$abc",
      "scrypt$ln=15,r=8,p=1,len=64$c2FsdA==$a2V5",
    ]) {
      expect(await verifyPassword("x", stored)).toBe(false);
      expect(needsRehash(stored)).toBe(true);
    }
  });
});
