import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { finished } from "node:stream/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
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

  const exportTo = async (format: ExportFormat) => {
    const file = join(work, `audit.${format}`);
    const output = createWriteStream(file);
    const manifest = await exportAuditEvents({ pool, key, filters: {}, format, output });
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
});
