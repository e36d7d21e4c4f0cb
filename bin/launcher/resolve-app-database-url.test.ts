import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { parseEnv } from "@/lib/config/env";
import { openDatabase } from "./open-database";
import { resolveAppDatabaseUrl } from "./resolve-app-database-url";

// An external Postgres as operators run it: the DATABASE_URL owner is not a superuser, either with
// CREATEROLE (the launcher makes the runtime role) or without (a managed database: the runtime role is
// made by hand, docs/operations.md). Each case starts twice, like a restart or a second replica.
// CI runs this file on the embedded Postgres 18 and again on Postgres 15.

const admin = inject("testDatabaseUrl");
const suffix = randomBytes(4).toString("hex");
const dirs: string[] = [];
const databases: string[] = [];
const roles: string[] = [];

async function asAdmin(sql: string) {
  const client = new pg.Client({ connectionString: `${admin}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function urlFor(user: string, password: string, database: string) {
  const url = new URL(admin);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

/** An owner role and a database it owns; `createRole` gives it CREATEROLE. */
async function ownerDatabase(name: string, createRole: boolean) {
  const password = randomBytes(12).toString("hex");
  await asAdmin(`CREATE ROLE ${name} LOGIN ${createRole ? "CREATEROLE" : ""} PASSWORD '${password}'`);
  await asAdmin(`CREATE DATABASE ${name} OWNER ${name}`);
  databases.push(name);
  roles.push(name);
  return urlFor(name, password, name);
}

/** One launcher start with a data directory that does not exist yet: migrate, then the runtime role. */
async function start(ownerUrl: string, environment: Record<string, string>) {
  const parent = mkdtempSync(join(tmpdir(), "sealdeck-external-"));
  dirs.push(parent);
  const env = parseEnv({ DATABASE_URL: ownerUrl, SEALDECK_DATA_DIR: join(parent, "not", "yet") });
  const lines: string[] = [];
  const db = await openDatabase(env, (line) => lines.push(line));
  const url = await resolveAppDatabaseUrl(db.url, env, (line) => lines.push(line), environment);
  await db.stop();
  return { url, lines, dataDir: env.SEALDECK_DATA_DIR };
}

async function expectRestrictedRuntime(url: string, role: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ user: string }>("SELECT current_user AS user");
    expect(rows[0]?.user).toBe(role);
    await appendAuditEvent(client, { action: "settings.changed", outcome: "success" });
    await expect(client.query("ALTER TABLE audit_events DISABLE TRIGGER ALL")).rejects.toMatchObject({
      code: "42501",
    });
    await expect(client.query("DELETE FROM audit_events")).rejects.toMatchObject({ code: "42501" });
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const name of databases) await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  for (const name of roles.reverse()) await asAdmin(`DROP ROLE IF EXISTS ${name}`);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("an external Postgres whose owner has CREATEROLE but is not superuser", () => {
  it("starts twice with a data directory that does not exist yet, on the restricted runtime role", async () => {
    const owner = await ownerDatabase(`sealdeck_owner_${suffix}`, true);
    const role = `sealdeck_app_cr_${suffix}`;
    roles.push(role);
    const environment = { SEALDECK_DATABASE_APP_ROLE: role };
    const first = await start(owner, environment);
    expect(first.lines.join("\n")).not.toMatch(/warning/);
    expect(statSync(first.dataDir).isDirectory()).toBe(true);
    await expectRestrictedRuntime(first.url, role);
    // A restart (or another replica): the role exists now and is updated, which Postgres 15 refused.
    const second = await start(owner, environment);
    expect(second.lines.join("\n")).not.toMatch(/warning/);
    await expectRestrictedRuntime(second.url, role);
  });
});

describe("a managed Postgres: owner without CREATEROLE, runtime role created by hand", () => {
  it("uses the hand-made role with its password on every start, granting it exactly the app's tables", async () => {
    const owner = await ownerDatabase(`sealdeck_mowner_${suffix}`, false);
    const role = `sealdeck_app_m_${suffix}`;
    const password = randomBytes(12).toString("hex");
    await asAdmin(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    roles.push(role);
    const environment = { SEALDECK_DATABASE_APP_ROLE: role, SEALDECK_DATABASE_APP_PASSWORD: password };
    for (let run = 0; run < 2; run++) {
      const { url, lines } = await start(owner, environment);
      expect(lines.join("\n")).not.toMatch(/warning/);
      await expectRestrictedRuntime(url, role);
    }
  });

  it("stops with a clear error when the given password does not log in, and never echoes it", async () => {
    const owner = await ownerDatabase(`sealdeck_mowner2_${suffix}`, false);
    const role = `sealdeck_app_m2_${suffix}`;
    await asAdmin(`CREATE ROLE ${role} LOGIN PASSWORD '${randomBytes(12).toString("hex")}'`);
    roles.push(role);
    const wrong = randomBytes(12).toString("hex");
    // CI's Postgres 15 trusts every local login (no password is checked): there, the start just works.
    const probe = new pg.Client({ connectionString: urlFor(role, wrong, "postgres") });
    const checksPasswords = await probe.connect().then(
      () => false,
      () => true,
    );
    await probe.end().catch(() => undefined);
    const failure = start(owner, { SEALDECK_DATABASE_APP_ROLE: role, SEALDECK_DATABASE_APP_PASSWORD: wrong });
    if (!checksPasswords) {
      await expect(failure).resolves.toMatchObject({ lines: [] });
      return;
    }
    await expect(failure).rejects.toThrow(/cannot log in as the app role/);
    await expect(failure).rejects.not.toThrow(new RegExp(wrong));
  });

  it("refuses a hand-made role with more rights than the app may have", async () => {
    const owner = await ownerDatabase(`sealdeck_mowner3_${suffix}`, false);
    const role = `sealdeck_app_m3_${suffix}`;
    const password = randomBytes(12).toString("hex");
    await asAdmin(`CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${password}'`);
    roles.push(role);
    await expect(
      start(owner, { SEALDECK_DATABASE_APP_ROLE: role, SEALDECK_DATABASE_APP_PASSWORD: password }),
    ).rejects.toThrow(/must be LOGIN NOSUPERUSER.*it has CREATEDB/);
  });

  it("falls back to the owner with a warning when no runtime role was made", async () => {
    const owner = await ownerDatabase(`sealdeck_mowner4_${suffix}`, false);
    const { url, lines } = await start(owner, { SEALDECK_DATABASE_APP_ROLE: `sealdeck_none_${suffix}` });
    expect(url).toBe(owner);
    expect(lines.join("\n")).toMatch(/warning: .*cannot create roles/);
  });
});
