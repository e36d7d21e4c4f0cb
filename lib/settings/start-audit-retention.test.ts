import { beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { signCheckpoint } from "@/lib/audit/sign-checkpoint";
import { createTestSigningKey } from "@/lib/audit/testing/test-signing-key";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { applyAuditRetention } from "./start-audit-retention";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("applyAuditRetention", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 2 });
  const key = createTestSigningKey();
  const trusted = { trustedPublicKeys: [key.publicKeyPem] };
  const count = async () => Number((await pool.query("SELECT count(*) AS n FROM audit_events")).rows[0].n);
  const setRetention = (value: unknown) =>
    pool.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ('audit.retention-days', $1::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(value)],
    );

  beforeAll(async () => {
    for (let i = 0; i < 4; i++)
      await appendAuditEvent(pool, { action: "test.event", outcome: "success", details: { i } });
    await signCheckpoint(pool, key); // head #4
  });

  it("keeps everything when no retention is set or the stored one is invalid", async () => {
    expect(await applyAuditRetention(pool, trusted)).toEqual({ ran: false, reason: "keep-forever" });
    await setRetention(5);
    expect(await applyAuditRetention(pool, trusted)).toEqual({ ran: false, reason: "invalid-setting" });
    expect(await count()).toBe(4);
  });

  it("prunes through the newest checkpoint older than the retention, audited first", async () => {
    await setRetention(30);
    // Today nothing is 30 days old.
    expect(await applyAuditRetention(pool, trusted)).toMatchObject({ ran: true, result: { deleted: 0 } });
    expect(await count()).toBe(6);
    const later = new Date(Date.now() + 31 * DAY_MS);
    expect(await applyAuditRetention(pool, { ...trusted, now: later })).toMatchObject({
      ran: true,
      days: 30,
      result: { throughSeq: "4", deleted: 4 },
    });
    const left = await pool.query<{ action: string }>("SELECT action FROM audit_events ORDER BY seq");
    expect(left.rows.map((r) => r.action)).toEqual([
      "audit.prune.requested",
      "audit.prune",
      "audit.prune.requested",
      "audit.prune",
    ]);
  });
});
