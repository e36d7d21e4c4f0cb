import { beforeAll, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { appendAuditEvent } from "./append-audit-event";
import { pruneAuditEvents } from "./prune-audit-events";
import { signCheckpoint } from "./sign-checkpoint";
import { randomEventInput, seededRandom } from "./testing/audit-fixtures";
import { createTestSigningKey } from "./testing/test-signing-key";
import { verifyDatabaseChain } from "./verify-database-chain";

describe("retention", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 2 });
  const key = createTestSigningKey();
  const random = seededRandom(77);
  const append = async (n: number, offset: number) => {
    for (let i = 0; i < n; i++) await appendAuditEvent(pool, randomEventInput(random, offset + i));
  };

  beforeAll(async () => {
    await append(10, 0);
    await signCheckpoint(pool, key); // head #10
    await append(5, 10);
    await signCheckpoint(pool, key); // head #15
    await append(3, 15);
  });

  it("prunes nothing when no checkpoint is older than the cut-off", async () => {
    expect(
      await pruneAuditEvents(pool, { before: new Date(0), trustedPublicKeys: [key.publicKeyPem] }),
    ).toEqual({ throughSeq: null, deleted: 0 });
  });

  it("refuses to cut anywhere but at a signed checkpoint, and the plain DELETE stays refused", async () => {
    await expect(pool.query("SELECT audit_prune(7)")).rejects.toThrow(/not the head of a signed checkpoint/);
    await expect(pool.query("DELETE FROM audit_events WHERE seq <= 10")).rejects.toThrow(/append-only/);
  });

  it("prunes through the newest older checkpoint and the rest still verifies from its signed hash", async () => {
    const result = await pruneAuditEvents(pool, {
      before: new Date(Date.now() + 60_000),
      trustedPublicKeys: [key.publicKeyPem],
    });
    expect(result).toEqual({ throughSeq: "15", deleted: 15 });
    const client = await pool.connect();
    try {
      const verified = await verifyDatabaseChain(client, { trustedPublicKeys: [key.publicKeyPem] });
      expect(verified).toMatchObject({ ok: true, count: 3, firstSeq: "16", lastSeq: "18" });
      // The anchor counts only while its key is trusted: after a key change, list the earlier one too.
      const next = createTestSigningKey();
      expect(await verifyDatabaseChain(client, { trustedPublicKeys: [next.publicKeyPem] })).toMatchObject({
        ok: false,
        broken: { seq: "1", kind: "deleted" },
      });
      expect(
        await verifyDatabaseChain(client, { trustedPublicKeys: [next.publicKeyPem, key.publicKeyPem] }),
      ).toMatchObject({ ok: true, firstSeq: "16" });

      // Deleting one more event (as a superuser with triggers off) leaves no anchor: named as deleted.
      await client.query("BEGIN");
      try {
        await client.query("SET LOCAL session_replication_role = replica");
        await client.query("DELETE FROM audit_events WHERE seq = 16");
        await client.query("SET LOCAL session_replication_role = origin");
        const tampered = await verifyDatabaseChain(client, {
          inTransaction: true,
          trustedPublicKeys: [key.publicKeyPem],
        });
        expect(tampered.broken).toMatchObject({ seq: "1", kind: "deleted" });
      } finally {
        await client.query("ROLLBACK");
      }
    } finally {
      client.release();
    }
  });
});
