import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  BUNDLE_PUBLIC_KEY_NAME,
  BUNDLE_README_NAME,
  formatKeyFingerprint,
} from "@/lib/audit/bundle/audit-bundle-layout";
import { readZipDirectory, readZipEntry, readZipEntryText } from "@/lib/audit/bundle/read-zip-entries";
import type { ExportManifest } from "@/lib/audit/export-manifest";
import type { AuditSigningKey } from "@/lib/audit/load-audit-signing-key";
import { createTestSigningKey } from "@/lib/audit/testing/test-signing-key";
import { verifyExport } from "@/lib/audit/verify-export";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import * as bundleRoute from "./route";

// The evidence bundle end to end: a filtered export streamed into one ZIP with its signed manifest, the
// public key and a README; read back entry by entry, the export verifies against the manifest.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const globals = globalThis as unknown as {
  sealdeckAuditPool?: pg.Pool;
  sealdeckAuditSigningKey?: AuditSigningKey;
};
const work = mkdtempSync(join(tmpdir(), "sealdeck-bundle-"));

describe("GET /api/audit/bundle", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 4 });
  const key = createTestSigningKey();

  beforeAll(async () => {
    globals.sealdeckAuditPool = pool;
    globals.sealdeckAuditSigningKey = key;
    await pool.query(
      `INSERT INTO audit_events (actor_name, action, target_cluster, target_name, outcome, details)
       SELECT 'user ' || (g % 3), 'secret.viewed', 'sandbox', 'app-' || g, 'success', jsonb_build_object('index', g)
       FROM generate_series(1, 500) AS g`,
    );
  });
  afterAll(() => {
    delete globals.sealdeckAuditPool;
    delete globals.sealdeckAuditSigningKey;
    rmSync(work, { recursive: true, force: true });
  });

  it("downloads a filtered export, its manifest and the public key as one ZIP that verifies", async () => {
    session.principal = testPrincipal({
      userId: "u-auditor",
      username: "audrey",
      displayName: "Audrey",
      role: "auditor",
    });
    const exportId = randomUUID();
    const response = await bundleRoute.GET(
      new Request(`http://sealdeck.test/api/audit/bundle?format=ndjson&actor=user%201&exportId=${exportId}`, {
        headers: { host: "sealdeck.test" },
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const fileName = response.headers.get("content-disposition")!.match(/filename="(.+)"/)![1]!;
    expect(fileName).toMatch(
      new RegExp(`^sealdeck-audit-\\d{8}T\\d{6}Z-${exportId.slice(0, 8)}\\.ndjson\\.zip$`),
    );
    const file = join(work, fileName);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));

    const entries = await readZipDirectory(file);
    const exportName = fileName.replace(/\.zip$/, "");
    expect(entries.map((e) => e.name)).toEqual([
      exportName,
      `${exportName}.manifest.json`,
      BUNDLE_PUBLIC_KEY_NAME,
      BUNDLE_README_NAME,
    ]);
    const manifest = JSON.parse(await readZipEntryText(file, entries[1]!)) as ExportManifest;
    expect(manifest).toMatchObject({ format: "ndjson", contiguous: false, filters: { actor: "user 1" } });
    expect(manifest.count).toBe(167);
    expect(await readZipEntryText(file, entries[2]!)).toBe(key.publicKeyPem);
    expect(await readZipEntryText(file, entries[3]!)).toContain(formatKeyFingerprint(key.keyId));
    const result = await verifyExport({
      chunks: readZipEntry(file, entries[0]!),
      format: "ndjson",
      manifest,
      publicKeyPem: key.publicKeyPem,
    });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, chain: { count: 167 } });
  });

  it("refuses a role without export permission", async () => {
    session.principal = testPrincipal({
      userId: "u-dev",
      username: "dana",
      displayName: "Dana",
      role: "developer",
    });
    const response = await bundleRoute.GET(
      new Request("http://sealdeck.test/api/audit/bundle?format=csv", { headers: { host: "sealdeck.test" } }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(403);
  });
});
