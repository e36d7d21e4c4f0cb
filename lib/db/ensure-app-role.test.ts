import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { ensureAppRole, type AppRole } from "./ensure-app-role";

// The test role is a superuser (it owns the test databases); the runtime role must be none of that.
describe("ensureAppRole", () => {
  let db: TestDatabase;
  let app: AppRole;
  let runtime: pg.Client;
  // Roles are cluster-wide and test files share one Postgres: a name of this file's own.
  const role = `sealdeck_app_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    db = await createMigratedDatabase();
    app = await ensureAppRole(db.url, { role });
    runtime = new pg.Client({ connectionString: app.url });
    await runtime.connect();
  });
  afterAll(async () => {
    await runtime.end();
    await db.drop();
    const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]+$/, "/postgres") });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
  });

  it("returns a URL that logs in as a restricted role, without echoing the password anywhere else", async () => {
    expect(new URL(app.url).username).toBe(role);
    const { rows } = await runtime.query<{
      user: string;
      super: boolean;
      createrole: boolean;
      createdb: boolean;
      bypassrls: boolean;
    }>(
      `SELECT current_user AS user, rolsuper AS super, rolcreaterole AS createrole, rolcreatedb AS createdb, rolbypassrls AS bypassrls
         FROM pg_roles WHERE rolname = current_user`,
    );
    expect(rows[0]).toEqual({
      user: role,
      super: false,
      createrole: false,
      createdb: false,
      bypassrls: false,
    });
  });

  it("lets the runtime role append and read audit events and use settings", async () => {
    const appended = await appendAuditEvent(runtime, { action: "settings.changed", outcome: "success" });
    expect(appended.seq).toBe("1");
    await runtime.query(`INSERT INTO settings (key, value, updated_at) VALUES ('k', '{}', now())`);
    await runtime.query(`UPDATE settings SET value = '{"a":1}' WHERE key = 'k'`);
    await runtime.query(`DELETE FROM settings WHERE key = 'k'`);
    const { rows } = await runtime.query(`SELECT count(*) FROM _prisma_migrations`);
    expect(rows).toHaveLength(1);
  });

  it("lets the runtime role record when a re-seal campaign's secret was found gone, but not delete it", async () => {
    const { rows } = await runtime.query<{ id: string }>(
      `INSERT INTO recovery_campaigns (id, incident_id, cluster, missing_keys, started_by_name)
         VALUES (gen_random_uuid(), 'key-loss/c1', 'c1', '{}', 'lead') RETURNING id`,
    );
    const id = rows[0]!.id;
    await runtime.query(
      `INSERT INTO recovery_campaign_secrets (campaign_id, namespace, name, keys) VALUES ($1, 'web', 'api', '{A}')`,
      [id],
    );
    await runtime.query(`UPDATE recovery_campaign_secrets SET absent_since = now() WHERE campaign_id = $1`, [
      id,
    ]);
    await expect(
      runtime.query(`DELETE FROM recovery_campaign_secrets WHERE campaign_id = $1`, [id]),
    ).rejects.toThrow(/permission denied/);
  });

  it.each([
    ["disable the chain trigger", "ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain"],
    ["disable every trigger", "ALTER TABLE audit_events DISABLE TRIGGER ALL"],
    ["drop the append-only trigger", "DROP TRIGGER audit_events_append_only ON audit_events"],
    [
      "replace the chain function",
      "CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    ],
    ["switch triggers off for its session", "SET session_replication_role = replica"],
    ["update an event", "UPDATE audit_events SET actor_name = 'x'"],
    ["delete an event", "DELETE FROM audit_events"],
    ["truncate the log", "TRUNCATE audit_events"],
    ["delete a checkpoint", "DELETE FROM audit_checkpoints"],
    ["prune the log", "SELECT audit_prune(1)"],
    ["create a table to shadow the log", "CREATE TABLE audit_shadow (seq bigint)"],
    ["drop the table", "DROP TABLE audit_events"],
  ])("refuses to let the runtime role %s", async (_what, sql) => {
    await expect(runtime.query(sql)).rejects.toMatchObject({
      code: expect.stringMatching(/^42501$|^2F/) as unknown,
    });
  });

  it("cannot grant itself more (Postgres only warns, so check the outcome)", async () => {
    await runtime.query("GRANT UPDATE, DELETE, TRUNCATE ON audit_events TO CURRENT_USER");
    const { rows } = await runtime.query<{ update: boolean; delete: boolean; truncate: boolean }>(
      `SELECT has_table_privilege('audit_events', 'UPDATE') AS update, has_table_privilege('audit_events', 'DELETE') AS delete,
              has_table_privilege('audit_events', 'TRUNCATE') AS truncate`,
    );
    expect(rows[0]).toEqual({ update: false, delete: false, truncate: false });
  });

  it("is idempotent and keeps a stable password when given one", async () => {
    const password = randomBytes(16).toString("hex");
    const again = await ensureAppRole(db.url, { role, password });
    const second = await ensureAppRole(db.url, { role, password });
    expect(second.url).toBe(again.url);
    const client = new pg.Client({ connectionString: second.url });
    await client.connect();
    await client.end();
  });

  it("refuses to make the owner itself the app role", async () => {
    const owner = decodeURIComponent(new URL(db.url).username);
    await expect(ensureAppRole(db.url, { role: owner })).rejects.toThrow(/must not be the owner/);
  });
});
