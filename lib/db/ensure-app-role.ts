import "server-only";
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import pg from "pg";
import { AppError } from "@/lib/errors/app-error";

// The database role the running app uses, separate from the role that owns (and migrates) the tables.
// The owner can disable triggers; this role cannot: it owns nothing and may only read and append to the
// audit tables, so the append-only triggers and the hash chain hold against the app itself. Called by
// the launcher with the owner's connection after migrating; the app gets the returned URL.

export const DEFAULT_APP_ROLE = "sealdeck_app";

/** Privileges per table; anything not listed is revoked on every call, so the list is the truth. */
const TABLE_GRANTS: Record<string, string> = {
  audit_events: "SELECT, INSERT",
  audit_checkpoints: "SELECT, INSERT",
  settings: "SELECT, INSERT, UPDATE, DELETE",
  // Sign-in (issue 7's tables): the app manages accounts, grants and sessions itself.
  users: "SELECT, INSERT, UPDATE, DELETE",
  namespace_grants: "SELECT, INSERT, UPDATE, DELETE",
  auth_sessions: "SELECT, INSERT, UPDATE, DELETE",
  // Pull requests Sealdeck opened (issue 6): their state is refreshed in place.
  proposals: "SELECT, INSERT, UPDATE",
  // /api/readyz compares applied migrations with the ones on disk.
  _prisma_migrations: "SELECT",
  // ...and which newer ones are expand-only, so an older version stays ready beside them.
  migration_compatibility: "SELECT",
  // Issue 8: the API server's audit webhook and observed rotations are append-only records.
  k8s_access_events: "SELECT, INSERT",
  observed_rotations: "SELECT, INSERT",
  // Issue #14: policies are edited and removed; waivers are never deleted (revoking updates the row).
  rotation_policies: "SELECT, INSERT, UPDATE, DELETE",
  rotation_waivers: "SELECT, INSERT, UPDATE",
  // Issue 14: the GitOps history backfill keeps its per-key results and cursors up to date in place.
  git_key_changes: "SELECT, INSERT, UPDATE, DELETE",
  git_history_cursors: "SELECT, INSERT, UPDATE, DELETE",
  // Issue #15: notification items and deliveries are claimed, retried and pruned in place.
  notification_items: "SELECT, INSERT, UPDATE, DELETE",
  notification_deliveries: "SELECT, INSERT, UPDATE, DELETE",
  // Issue 19: replicas take and renew background-job leases, and share the sign-in rate limit.
  job_leases: "SELECT, INSERT, UPDATE",
  sign_in_buckets: "SELECT, INSERT, UPDATE, DELETE",
  // Issue #21: "Fix a value" runs move through their states in place; kept as the trail's index.
  value_fixes: "SELECT, INSERT, UPDATE",
  // Issue #21: re-seal campaigns are started and closed in place, never deleted; the closer records
  // when each secret was first found gone (absent_since) in place.
  recovery_campaigns: "SELECT, INSERT, UPDATE",
  recovery_campaign_secrets: "SELECT, INSERT, UPDATE",
};
const SEQUENCE_GRANTS: Record<string, string> = {
  audit_checkpoints_id_seq: "USAGE",
  k8s_access_events_id_seq: "USAGE",
  observed_rotations_id_seq: "USAGE",
  notification_deliveries_id_seq: "USAGE",
};

// Serializes concurrent launchers creating the same role (first 8 bytes of sha256("sealdeck.app_role")).
const ROLE_LOCK_ID = BigInt.asIntN(
  64,
  createHash("sha256").update("sealdeck.app_role").digest().readBigUInt64BE(0),
).toString();

export type EnsureAppRoleOptions = {
  /** Role name; letters, digits and underscores. */
  role?: string;
  /** The role's password. Keep it stable across starts (other replicas use it); generated when absent. */
  password?: string;
};

export type AppRole = { role: string; url: string; password: string };

/**
 * A SCRAM-SHA-256 verifier for `password`, so the plain password never travels to the server inside
 * a statement (where pg_stat_activity or a statement log could show it).
 */
function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const iterations = 4096;
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

type RoleAttributes = {
  super: boolean;
  createrole: boolean;
  createdb: boolean;
  replication: boolean;
  bypassrls: boolean;
  login: boolean;
};

/**
 * The ALTER ROLE clauses that bring an existing role to the restricted attributes, naming only the ones
 * that differ: a CREATEROLE owner that is not superuser may not even mention SUPERUSER, REPLICATION or
 * BYPASSRLS (Postgres 15: "must be superuser to alter superuser roles"; 16+ likewise for the last two).
 */
function alterClauses(current: RoleAttributes, ownerIsSuper: boolean, role: string): string {
  const privileged = (["super", "replication", "bypassrls"] as const).filter((key) => current[key]);
  if (privileged.length > 0 && !ownerIsSuper) {
    const names = privileged.map((key) => (key === "super" ? "SUPERUSER" : key.toUpperCase()));
    throw new AppError(
      "conflict",
      `the role "${role}" has ${names.join(", ")}, which only a superuser can remove; ` +
        `remove it (ALTER ROLE ${role} NO${names.join(" NO")}) or drop the role, then start again`,
    );
  }
  const clauses = ["LOGIN", "INHERIT"];
  if (current.super) clauses.push("NOSUPERUSER");
  if (current.replication) clauses.push("NOREPLICATION");
  if (current.bypassrls) clauses.push("NOBYPASSRLS");
  if (current.createdb) clauses.push("NOCREATEDB");
  if (current.createrole) clauses.push("NOCREATEROLE");
  return clauses.join(" ");
}

/**
 * Creates or updates the app's runtime role: LOGIN, NOSUPERUSER, no CREATEDB/CREATEROLE/REPLICATION/
 * BYPASSRLS, member of no role, owning nothing, with exactly TABLE_GRANTS on this database's schema.
 * With an owner that may create roles (CREATEROLE or superuser) the role is created or updated here,
 * with `password`. With an owner that may not (a managed Postgres with no such right), the role must
 * have been created by hand with that password: it is checked to be restricted and only granted.
 * Returns the owner URL with the runtime role's credentials.
 */
export async function ensureAppRole(ownerUrl: string, options: EnsureAppRoleOptions = {}): Promise<AppRole> {
  const role = options.role ?? DEFAULT_APP_ROLE;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new AppError("bad_request", "the app role name must be lower-case letters, digits and underscores");
  const password = options.password ?? randomBytes(24).toString("base64url");
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  let createdByHand = false;
  try {
    const { rows: me } = await client.query<{
      user: string;
      db: string;
      schema: string;
      isSuper: boolean;
      canCreateRole: boolean;
    }>(
      `SELECT current_user AS "user", current_database() AS db, current_schema() AS schema,
              rolsuper AS "isSuper", (rolsuper OR rolcreaterole) AS "canCreateRole"
         FROM pg_roles WHERE rolname = current_user`,
    );
    const owner = me[0];
    if (!owner) throw new AppError("internal", "cannot read the owner role");
    if (owner.user === role)
      throw new AppError("bad_request", `the app role "${role}" must not be the owner role`);
    const ident = (name: string) => client.escapeIdentifier(name);
    const literal = (value: string) => client.escapeLiteral(value);
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [ROLE_LOCK_ID]);
      const { rows: existing } = await client.query<RoleAttributes>(
        `SELECT rolsuper AS super, rolcreaterole AS createrole, rolcreatedb AS createdb,
                rolreplication AS replication, rolbypassrls AS bypassrls, rolcanlogin AS login
           FROM pg_roles WHERE rolname = $1`,
        [role],
      );
      const current = existing[0];
      if (!owner.canCreateRole) {
        if (!current) {
          throw new AppError(
            "forbidden",
            `the database role "${owner.user}" cannot create roles (needs CREATEROLE) to set up "${role}"`,
          );
        }
        // Created by hand (docs/operations.md): it cannot be changed from here, only refused if too strong.
        const strong = (["super", "createrole", "createdb", "replication", "bypassrls"] as const).filter(
          (key) => current[key],
        );
        if (strong.length > 0 || !current.login)
          throw new AppError(
            "conflict",
            `the role "${role}" must be LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS` +
              (strong.length > 0 ? ` (it has ${strong.join(", ").toUpperCase()})` : " (it cannot log in)"),
          );
        createdByHand = true;
      } else if (!current) {
        await client.query(
          `CREATE ROLE ${ident(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD ${literal(scramVerifier(password))}`,
        );
      } else {
        await client.query(
          `ALTER ROLE ${ident(role)} WITH ${alterClauses(current, owner.isSuper, role)} PASSWORD ${literal(scramVerifier(password))}`,
        );
      }
      const { rows: owned } = await client.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1`,
        [role],
      );
      if (owned[0]?.count !== "0")
        throw new AppError(
          "conflict",
          `the role "${role}" owns tables; it cannot be the restricted app role`,
        );
      // Membership would hand it another role's privileges (the owner's, at worst).
      const { rows: memberships } = await client.query<{ name: string }>(
        `SELECT g.rolname AS name FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
           JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1`,
        [role],
      );
      if (createdByHand && memberships.length > 0)
        throw new AppError(
          "conflict",
          `the role "${role}" is a member of ${memberships.map((m) => m.name).join(", ")}; revoke that first`,
        );
      for (const { name } of memberships) await client.query(`REVOKE ${ident(name)} FROM ${ident(role)}`);

      const schema = ident(owner.schema);
      await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${ident(role)}`);
      await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${ident(role)}`);
      // Granted only when missing: the owner of the tables need not own the database or the schema.
      const { rows: reach } = await client.query<{ connect: boolean; usage: boolean }>(
        `SELECT has_database_privilege($1, current_database(), 'CONNECT') AS connect,
                has_schema_privilege($1, current_schema(), 'USAGE') AS usage`,
        [role],
      );
      if (!reach[0]?.connect)
        await client.query(`GRANT CONNECT ON DATABASE ${ident(owner.db)} TO ${ident(role)}`);
      if (!reach[0]?.usage) await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${ident(role)}`);
      for (const [table, privileges] of Object.entries(TABLE_GRANTS)) {
        // A table a later migration brings is granted once it exists.
        const { rows: exists } = await client.query<{ found: boolean }>(
          "SELECT to_regclass($1) IS NOT NULL AS found",
          [`${schema}.${ident(table)}`],
        );
        if (!exists[0]?.found) continue;
        await client.query(`GRANT ${privileges} ON TABLE ${schema}.${ident(table)} TO ${ident(role)}`);
      }
      for (const [sequence, privileges] of Object.entries(SEQUENCE_GRANTS)) {
        const { rows: exists } = await client.query<{ found: boolean }>(
          "SELECT to_regclass($1) IS NOT NULL AS found",
          [`${schema}.${ident(sequence)}`],
        );
        if (!exists[0]?.found) continue;
        await client.query(`GRANT ${privileges} ON SEQUENCE ${schema}.${ident(sequence)} TO ${ident(role)}`);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  // A role made by hand has the password its creator chose: say so now, not on the app's first query.
  if (createdByHand) {
    const probe = new pg.Client({ connectionString: url.toString() });
    try {
      await probe.connect();
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new AppError(
        "bad_request",
        `cannot log in as the app role "${role}"${code === "28P01" ? " with the given password (SEALDECK_DATABASE_APP_PASSWORD)" : ""}`,
      );
    } finally {
      await probe.end().catch(() => undefined);
    }
  }
  return { role, url: url.toString(), password };
}
