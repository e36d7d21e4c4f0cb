import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { finished } from "node:stream/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { AuditFilters } from "@/lib/audit/audit-filters";
import {
  BUNDLE_PUBLIC_KEY_NAME,
  formatKeyFingerprint,
  MANIFEST_SUFFIX,
} from "@/lib/audit/bundle/audit-bundle-layout";
import { streamZip, type ZipEntry } from "@/lib/audit/bundle/stream-zip";
import { exportAuditEvents } from "@/lib/audit/export-audit-events";
import type { ExportFormat } from "@/lib/audit/export-formats";
import { randomEventInput, seededRandom } from "@/lib/audit/testing/audit-fixtures";
import { createTestSigningKey } from "@/lib/audit/testing/test-signing-key";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { runSealdeck } from "../testing/run-sealdeck";

// --database opens the database as the launcher does, which reads prisma/migrations from the checkout.
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "sealdeck-audit-verify-"));

const sealdeck = (args: string[], env: Record<string, string> = {}, cwd = work) =>
  runSealdeck(["audit", "verify", ...args], { cwd, env: { DATABASE_URL: "", ...env } });

describe("sealdeck audit verify", () => {
  const { url, pool } = setupMigratedDatabase({ poolMax: 2 });
  const key = createTestSigningKey();
  const publicKeyFile = join(work, "audit-public.pem");
  const otherKeyFile = join(work, "other-public.pem");

  const exportTo = async (format: ExportFormat, filters: AuditFilters = {}, name = `audit.${format}`) => {
    const file = join(work, name);
    const output = createWriteStream(file);
    const manifest = await exportAuditEvents({ pool, key, filters, format, output });
    output.end();
    await finished(output);
    writeFileSync(`${file}.manifest.json`, JSON.stringify(manifest, null, 2));
    return file;
  };

  beforeAll(async () => {
    const random = seededRandom(5);
    for (let i = 0; i < 12; i++) await appendAuditEvent(pool, randomEventInput(random, i));
    writeFileSync(publicKeyFile, key.publicKeyPem);
    writeFileSync(otherKeyFile, createTestSigningKey().publicKeyPem);
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it.each(["csv", "ndjson", "json"] as const)(
    "verifies a %s export with its manifest and the pinned key",
    async (format) => {
      const file = await exportTo(format);
      const { code, stdout, stderr } = await sealdeck([file, "--public-key", publicKeyFile]);
      expect(stderr).toBe("");
      expect(stdout).toMatch(
        /verified 12 events, #1 to #12; manifest and checkpoint #12 signed by key [0-9a-f]{16}… \(pinned\)/,
      );
      expect(code).toBe(0);
    },
  );

  it("names the first broken event of a tampered file and exits 1", async () => {
    const file = await exportTo("ndjson");
    const lines = readFileSync(file, "utf8").split("\n");
    lines[4] = lines[4]!.replace(/"outcome":"[a-z]+"/, '"outcome":"pending"');
    writeFileSync(file, lines.join("\n"));
    const { code, stderr, stdout } = await sealdeck([file]);
    expect(stderr).toMatch(/verification FAILED: event #5 changed/);
    expect(stdout).toMatch(/SHA-256 differs/);
    expect(code).toBe(1);
  });

  it("fails when the signatures are checked against another key", async () => {
    const file = await exportTo("csv");
    const { code, stdout } = await sealdeck([file, "--public-key", otherKeyFile]);
    expect(stdout).toMatch(/checkpoint: the checkpoint was signed by key/);
    expect(code).toBe(1);
  });

  it("checks the live table with --database", async () => {
    const { code, stdout, stderr } = await sealdeck(
      ["--database", "--public-key", publicKeyFile],
      { DATABASE_URL: url },
      repoRoot,
    );
    expect(stderr).toBe("");
    expect(stdout).toMatch(/audit_events: verified 12 events up to #12; latest checkpoint #12 .* \(pinned\)/);
    expect(code).toBe(0);
  });

  it("rejects bad usage with exit 2", async () => {
    expect((await sealdeck([])).code).toBe(2);
    expect((await sealdeck(["--database", "x.csv"])).code).toBe(2);
    expect((await sealdeck(["--nope"])).code).toBe(2);
  });

  describe("an evidence bundle (export, manifest and public key in one ZIP)", () => {
    const zipTo = async (name: string, entries: ZipEntry[]) => {
      const parts: Buffer[] = [];
      for await (const part of streamZip(entries, new Date())) parts.push(Buffer.from(part));
      const file = join(work, name);
      writeFileSync(file, Buffer.concat(parts));
      return file;
    };
    let exported: string;
    const entriesOf = (file: string, data = readFileSync(file)): ZipEntry[] => [
      { name: "filtered.csv", data },
      { name: `filtered.csv${MANIFEST_SUFFIX}`, data: readFileSync(`${file}.manifest.json`) },
      { name: BUNDLE_PUBLIC_KEY_NAME, data: Buffer.from(key.publicKeyPem) },
    ];

    beforeAll(async () => {
      // Two events of one actor with another's between them: the filtered export has a gap.
      for (const name of ["zed", "yan", "zed"])
        await appendAuditEvent(pool, { actor: { name }, action: "test.gap", outcome: "success" });
      exported = await exportTo("csv", { actor: "zed" }, "filtered.csv");
    });

    it("verifies a filtered export's bundle and prints the key's fingerprint to compare", async () => {
      const bundle = await zipTo("bundle.zip", entriesOf(exported));
      const { code, stdout, stderr } = await sealdeck([bundle]);
      expect(stderr).toBe("");
      expect(stdout).toMatch(/bundle\.zip:filtered\.csv: verified 2 events, #13 to #15 \(filtered export\)/);
      expect(stdout).toContain(`key fingerprint (SHA-256): ${formatKeyFingerprint(key.keyId)}`);
      expect(code).toBe(0);
      expect((await sealdeck([bundle, "--public-key", publicKeyFile])).stdout).toMatch(/\(pinned\)/);
      expect((await sealdeck([bundle, "--public-key", otherKeyFile])).code).toBe(1);
    });

    it("fails a bundle whose export was changed", async () => {
      const text = readFileSync(exported, "utf8").replace('"zed"', '"zoe"');
      const bundle = await zipTo("tampered.zip", entriesOf(exported, Buffer.from(text)));
      const { code, stderr, stdout } = await sealdeck([bundle]);
      expect(stderr).toMatch(/verification FAILED: event #13 changed/);
      expect(stdout).toMatch(/SHA-256 differs/);
      expect(code).toBe(1);
    });

    it("names a missing manifest, not a deletion, for a filtered export verified alone", async () => {
      const alone = join(work, "alone.csv");
      writeFileSync(alone, readFileSync(exported));
      const { code, stderr, stdout } = await sealdeck([alone]);
      expect(stderr).toMatch(/alone\.csv: verification FAILED: no manifest/);
      expect(stdout).toMatch(/no manifest: events are missing between #13 and #15/);
      expect(`${stdout}${stderr}`).not.toMatch(/deleted/);
      expect(code).toBe(1);
      const bundle = await zipTo(
        "no-manifest.zip",
        entriesOf(exported).filter((e) => !e.name.endsWith(MANIFEST_SUFFIX)),
      );
      const missing = await sealdeck([bundle]);
      expect(missing.stderr).toMatch(/the bundle has no manifest for filtered\.csv/);
      expect(missing.code).toBe(1);
    });
  });
});
