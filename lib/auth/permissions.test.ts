import { describe, expect, it } from "vitest";
import { authorize, grantCovers } from "./authorize";
import { permissions, rolePermissions, type Permission } from "./permissions";
import type { Principal } from "./principal";
import { roles, type Role } from "./roles";

const principal = (role: Role, grants: Principal["grants"] = [], mustChangePassword = false): Principal => ({
  sessionId: "s",
  userId: "u",
  username: role,
  displayName: role,
  role,
  mustChangePassword,
  grants,
});

const allowed = (
  role: Role,
  permission: Permission,
  grants: Principal["grants"] = [{ cluster: "prod", namespace: "payments" }],
) => authorize(principal(role, grants), permission).allowed;

describe("the permission table", () => {
  it("names only known permissions", () => {
    for (const role of roles)
      for (const permission of Object.keys(rolePermissions[role])) expect(permissions).toContain(permission);
  });

  it("developer: sees and acts in granted namespaces only; no audit, settings or policy", () => {
    const dev = principal("developer", [{ cluster: "prod", namespace: "payments" }]);
    for (const p of [
      "inventory:read",
      "secret:seal",
      "secret:propose",
      "secret:rotate",
      "rotation:read",
      "secret:fix-value",
    ] as const) {
      expect(authorize(dev, p, { cluster: "prod", namespace: "payments" }).allowed).toBe(true);
      expect(authorize(dev, p, { cluster: "prod", namespace: "billing" }).allowed).toBe(false);
      expect(authorize(dev, p, { cluster: "staging", namespace: "payments" }).allowed).toBe(false);
    }
    for (const p of [
      "audit:read",
      "audit:export",
      "settings:read",
      "users:manage",
      "rotation-policy:write",
      "secret:force-sync",
    ] as const) {
      expect(allowed("developer", p)).toBe(false);
    }
  });

  it("security-lead: everything visible, policies, syncs, restarts, key backups, rotates anywhere; never manages users", () => {
    for (const p of [
      "inventory:read",
      "secret:seal",
      "secret:propose",
      "secret:rotate",
      "rotation:read",
      "audit:read",
      "rotation-policy:write",
      "secret:force-sync",
      "consumer:restart",
      "secret:fix-value",
      "key-backup:acknowledge",
    ] as const) {
      expect(authorize(principal("security-lead"), p, { cluster: "any", namespace: "where" }).allowed).toBe(
        true,
      );
    }
    for (const p of ["users:manage", "settings:write", "clusters:write"] as const)
      expect(allowed("security-lead", p)).toBe(false);
  });

  it("auditor: reads everything incl. the audit log and exports, and can do nothing", () => {
    for (const p of [
      "inventory:read",
      "rotation:read",
      "audit:read",
      "audit:export",
      "settings:read",
      "users:read",
    ] as const) {
      expect(allowed("auditor", p)).toBe(true);
    }
    const acts = permissions.filter(
      (p) => !p.endsWith(":read") && p !== "audit:export" && p !== "account:self",
    );
    for (const p of acts) expect(allowed("auditor", p), p).toBe(false);
  });

  it("admin: settings, clusters, repositories, users, rotation policies; no secrets", () => {
    for (const p of [
      "settings:write",
      "clusters:write",
      "repositories:write",
      "notification:write",
      "users:manage",
      "rotation:read",
      "rotation-policy:write",
    ] as const)
      expect(allowed("admin", p)).toBe(true);
    for (const role of ["developer", "security-lead", "auditor"] as const)
      expect(allowed(role, "notification:write"), role).toBe(false);
    for (const p of ["inventory:read", "secret:seal", "audit:read"] as const)
      expect(allowed("admin", p)).toBe(false);
  });
});

describe("authorize", () => {
  it("denies the anonymous with 401", () => {
    expect(authorize(null, "overview:read")).toEqual({
      allowed: false,
      status: 401,
      reason: "unauthenticated",
    });
  });

  it("a developer without any grant is refused namespace-scoped pages", () => {
    expect(authorize(principal("developer", []), "inventory:read")).toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(authorize(principal("developer", []), "overview:read").allowed).toBe(true);
  });

  it("an account with a one-time password may only change it", () => {
    const fresh = principal("admin", [], true);
    expect(authorize(fresh, "settings:read")).toEqual({
      allowed: false,
      status: 403,
      reason: "password_change_required",
    });
    expect(authorize(fresh, "account:self").allowed).toBe(true);
  });

  it("wildcards in grants cover every cluster or every namespace", () => {
    expect(
      grantCovers({ cluster: "*", namespace: "payments" }, { cluster: "eu", namespace: "payments" }),
    ).toBe(true);
    expect(grantCovers({ cluster: "eu", namespace: "*" }, { cluster: "eu", namespace: "x" })).toBe(true);
    expect(grantCovers({ cluster: "eu", namespace: "*" }, { cluster: "us", namespace: "x" })).toBe(false);
    expect(grantCovers({ cluster: "eu", namespace: "pay" }, { cluster: "eu", namespace: "payments" })).toBe(
      false,
    );
  });
});
