import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ExportManifest } from "@/lib/audit/export-manifest";
import type { AuditSigningKey } from "@/lib/audit/load-audit-signing-key";
import { createTestSigningKey } from "@/lib/audit/testing/test-signing-key";
import { verifyExport } from "@/lib/audit/verify-export";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import * as manifestRoute from "./[id]/manifest/route";
import * as exportRoute from "./route";

// The export route end to end against a real Postgres: recorded first, streamed in chunks, its manifest
// served by id (from memory and, as another replica would, from the audit event) and verified offline.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const EVENTS = 3000;
const auditor = testPrincipal({
  userId: "u-auditor",
  username: "audrey",
  displayName: "Audrey",
  role: "auditor",
});

const globals = globalThis as unknown as {
  sealdeckAuditPool?: pg.Pool;
  sealdeckAuditSigningKey?: AuditSigningKey;
  sealdeckExports?: Map<string, unknown>;
};

async function readBody(response: Response): Promise<{ bytes: Buffer; chunks: number; largest: number }> {
  const reader = response.body!.getReader();
  const parts: Buffer[] = [];
  let largest = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    largest = Math.max(largest, value.byteLength);
    parts.push(Buffer.from(value));
  }
  return { bytes: Buffer.concat(parts), chunks: parts.length, largest };
}

async function* chunksOf(bytes: Buffer, size = 4096) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("GET /api/audit/export", () => {
  const { url, pool } = setupMigratedDatabase({ poolMax: 6 });
  const key = createTestSigningKey();

  beforeAll(async () => {
    globals.sealdeckAuditPool = pool;
    globals.sealdeckAuditSigningKey = key;
    // The trigger chains each row of one multi-row INSERT, as it does separate ones.
    await pool.query(
      `INSERT INTO audit_events (actor_user_id, actor_name, actor_role, action, target_cluster, target_namespace,
         target_kind, target_name, target_keys, outcome, details)
       SELECT 'u-' || (g % 7), 'user ' || (g % 7) || ' "q", comma', 'developer',
         CASE WHEN g % 3 = 0 THEN 'secret.viewed' ELSE 'seal.requested' END, 'sandbox',
         CASE WHEN g % 2 = 0 THEN 'payments' ELSE 'web' END, 'SealedSecret', 'app-' || (g % 11),
         ARRAY['KEY_' || (g % 5)], 'success', jsonb_build_object('index', g, 'note', E'line\\nbreak')
       FROM generate_series(1, $1::int) AS g`,
      [EVENTS],
    );
  });
  afterAll(() => {
    delete globals.sealdeckAuditPool;
    delete globals.sealdeckAuditSigningKey;
  });

  const get = (query: string) =>
    exportRoute.GET(
      new Request(`http://sealdeck.test/api/audit/export?${query}`, { headers: { host: "sealdeck.test" } }),
    );
  const getManifest = (id: string) =>
    manifestRoute.GET(new Request(`http://sealdeck.test/api/audit/export/${id}/manifest`), {
      params: Promise.resolve({ id }),
    });

  it.each(["csv", "ndjson", "json"] as const)(
    "%s: records the export first, streams it in chunks, and the manifest verifies it",
    async (format) => {
      session.principal = auditor;
      const exportId = randomUUID();
      const response = await get(`format=${format}&exportId=${exportId}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-sealdeck-export-id")).toBe(exportId);
      expect(response.headers.get("content-disposition")).toMatch(
        new RegExp(
          `^attachment; filename="sealdeck-audit-\\d{8}T\\d{6}Z-${exportId.slice(0, 8)}\\.${format}"$`,
        ),
      );
      // Recorded before a single byte was read.
      const pending = await pool.query<{ seq: string; details: { filters: object } }>(
        "SELECT seq::text AS seq, details FROM audit_events WHERE action = 'audit.exported' AND outcome = 'pending' AND details->>'exportId' = $1",
        [exportId],
      );
      expect(pending.rows).toHaveLength(1);
      expect(pending.rows[0]!.details.filters).toEqual({});

      const body = await readBody(response);
      // Streamed as it was read (COPY's rows, or the cursor's batches), not built whole first.
      expect(body.chunks).toBeGreaterThan(1);
      expect(body.largest).toBeLessThan(body.bytes.length);

      const manifestResponse = await getManifest(exportId);
      expect(manifestResponse.status).toBe(200);
      const fileName = response.headers.get("content-disposition")!.match(/filename="(.+)"/)![1]!;
      expect(manifestResponse.headers.get("content-disposition")).toBe(
        `attachment; filename="${fileName}.manifest.json"`,
      );
      const manifest = (await manifestResponse.json()) as ExportManifest;
      // Unfiltered: every event up to the signed head, including this export's own "pending" record.
      expect(manifest).toMatchObject({
        format,
        contiguous: true,
        firstSeq: "1",
        lastSeq: pending.rows[0]!.seq,
      });
      expect(manifest.count).toBe(Number(pending.rows[0]!.seq));
      const result = await verifyExport({
        chunks: chunksOf(body.bytes),
        format,
        manifest,
        publicKeyPem: key.publicKeyPem,
      });
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ ok: true, pinned: true, chain: { ok: true, count: manifest.count } });

      // The outcome is recorded with the count and the manifest, just after the file ends.
      const success = await vi.waitFor(async () => {
        const found = await pool.query<{ details: { count: number; manifest: ExportManifest } }>(
          "SELECT details FROM audit_events WHERE action = 'audit.exported' AND outcome = 'success' AND details->>'exportId' = $1",
          [exportId],
        );
        if (found.rows.length === 0) throw new Error("not recorded yet");
        return found;
      });
      expect(success.rows[0]?.details.count).toBe(manifest.count);
      expect(success.rows[0]?.details.manifest).toEqual(manifest);
    },
  );

  it("exports a filtered subset that verifies, and serves its manifest from the audit log on any replica", async () => {
    session.principal = auditor;
    const exportId = randomUUID();
    const response = await get(
      `format=ndjson&exportId=${exportId}&namespace=payments&action=secret&name=app-3&actor=`,
    );
    expect(response.status).toBe(200);
    const body = await readBody(response);
    await vi.waitFor(async () => {
      const found = await pool.query(
        "SELECT 1 FROM audit_events WHERE outcome = 'success' AND details->>'exportId' = $1",
        [exportId],
      );
      if (found.rows.length === 0) throw new Error("not recorded yet");
    });
    // Another replica: nothing in memory, only the database.
    globals.sealdeckExports = new Map();
    const manifestResponse = await getManifest(exportId);
    expect(manifestResponse.status).toBe(200);
    const manifest = (await manifestResponse.json()) as ExportManifest;
    expect(manifest).toMatchObject({
      contiguous: false,
      filters: { namespace: "payments", action: "secret", name: "app-3" },
    });
    const expected = Array.from({ length: EVENTS }, (_, i) => i + 1).filter(
      (g) => g % 2 === 0 && g % 3 === 0 && g % 11 === 3,
    ).length;
    expect(manifest.count).toBe(expected);
    const result = await verifyExport({
      chunks: chunksOf(body.bytes),
      format: "ndjson",
      manifest,
      publicKeyPem: key.publicKeyPem,
    });
    expect(result).toMatchObject({ ok: true, problems: [] });
    // Someone else's export id reveals nothing.
    session.principal = { ...auditor, userId: "u-other", username: "other" };
    expect((await getManifest(exportId)).status).toBe(404);
  });

  it("refuses a bad query, a reused id and an unknown manifest", async () => {
    session.principal = auditor;
    expect((await get("format=xml")).status).toBe(422);
    expect((await get("format=csv&outcome=maybe")).status).toBe(422);
    expect((await get("format=csv&exportId=not-a-uuid")).status).toBe(422);
    expect((await get("format=csv&surprise=1")).status).toBe(422);
    const id = randomUUID();
    const first = await get(`format=csv&exportId=${id}&name=none`);
    await readBody(first);
    expect((await get(`format=csv&exportId=${id}`)).status).toBe(409);
    expect((await getManifest(randomUUID())).status).toBe(404);
    expect((await getManifest("nope")).status).toBe(422);
  });

  it("fails closed: when the export cannot be recorded, nothing is exported", async () => {
    session.principal = auditor;
    const broken = new pg.Pool({ connectionString: `${url}_missing`, max: 1 });
    broken.on("error", () => undefined);
    globals.sealdeckAuditPool = broken;
    try {
      const exportId = randomUUID();
      const response = await get(`format=csv&exportId=${exportId}`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toMatch(/audit log could not record/);
      globals.sealdeckAuditPool = pool;
      expect((await getManifest(exportId)).status).toBe(409);
    } finally {
      globals.sealdeckAuditPool = pool;
      await broken.end();
    }
  });
});
