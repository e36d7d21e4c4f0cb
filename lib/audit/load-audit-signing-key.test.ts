import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAuditSigningKey, SIGNING_KEY_FILE } from "./load-audit-signing-key";

const dir = mkdtempSync(join(tmpdir(), "sealdeck-audit-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadAuditSigningKey", () => {
  it("generates a key on first use, warns once to back it up, and reuses it", () => {
    const warnings: string[] = [];
    const first = loadAuditSigningKey({ dataDir: dir, warn: (line) => warnings.push(line) });
    const second = loadAuditSigningKey({ dataDir: dir, warn: (line) => warnings.push(line) });
    expect(second.keyId).toBe(first.keyId);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/back it up/);
    expect(warnings[0]).not.toContain("PRIVATE KEY");
    expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, SIGNING_KEY_FILE), "utf8")).toMatch(/BEGIN PRIVATE KEY/);
  });

  it("prefers the PEM from the environment and refuses keys that are not Ed25519, without quoting them", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const key = loadAuditSigningKey({ pem, dataDir: dir, warn: () => undefined });
    expect(key.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    expect(() => loadAuditSigningKey({ pem: rsa, dataDir: dir, warn: () => undefined })).toThrow(
      /not an Ed25519 key/,
    );
    expect(() => loadAuditSigningKey({ pem: "garbage", dataDir: dir, warn: () => undefined })).toThrow(
      /^the audit signing key in SEALDECK_AUDIT_SIGNING_KEY cannot be read/,
    );
  });
});
