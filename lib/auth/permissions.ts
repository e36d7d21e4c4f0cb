import type { Role } from "./roles";

// What each role may do, as data. `authorize()` (lib/auth/authorize.ts) reads this table and nothing
// else; a permission missing from a role's row is denied. "granted" means only in the namespaces the
// user holds a grant for; "all" means every cluster and namespace.

export const permissions = [
  "overview:read",
  "inventory:read",
  "secret:seal",
  "secret:propose",
  "secret:rotate",
  "rotation:read",
  "rotation-policy:write",
  "secret:force-sync",
  "consumer:restart",
  /**
   * "Fix a value" (issue #21): rotate chosen keys (or force-sync an ExternalSecret) and have the consumers
   * restarted once, as the requester, after the cluster applied the new value. Checked again at restart.
   */
  "secret:fix-value",
  "key-backup:acknowledge",
  "audit:read",
  "audit:export",
  "settings:read",
  "settings:write",
  "clusters:write",
  "repositories:write",
  /** Settings → Notifications: channels, digest time, "Send a test". */
  "notification:write",
  "users:read",
  "users:manage",
  /** "Merge" on the Changes page: a plain-git proposal merged in the server's own repository. */
  "proposal:merge",
  /** Acting on one's own account: change password, sign out. Any signed-in user. */
  "account:self",
] as const;

export type Permission = (typeof permissions)[number];
export type PermissionScope = "all" | "granted";

export const rolePermissions: Record<Role, Partial<Record<Permission, PermissionScope>>> = {
  developer: {
    "overview:read": "all",
    "inventory:read": "granted",
    "secret:seal": "granted",
    "secret:propose": "granted",
    "secret:rotate": "granted",
    "rotation:read": "granted",
    // A developer restarts the consumers of a secret only through a fix of its value, in their namespaces.
    "secret:fix-value": "granted",
    "account:self": "all",
  },
  "security-lead": {
    "overview:read": "all",
    "inventory:read": "all",
    // "Rotate now" on the Rotations page: a security lead seals the new value and opens its pull request.
    "secret:seal": "all",
    "secret:propose": "all",
    "secret:rotate": "all",
    "rotation:read": "all",
    "rotation-policy:write": "all",
    "secret:force-sync": "all",
    "consumer:restart": "all",
    "secret:fix-value": "all",
    "key-backup:acknowledge": "all",
    "audit:read": "all",
    "settings:read": "all",
    "proposal:merge": "all",
    "account:self": "all",
  },
  auditor: {
    "overview:read": "all",
    "inventory:read": "all",
    "rotation:read": "all",
    "audit:read": "all",
    "audit:export": "all",
    "settings:read": "all",
    "users:read": "all",
    "account:self": "all",
  },
  admin: {
    "overview:read": "all",
    // Rotation policies and waivers are settings too; the schedule shows key names and dates, no values.
    "rotation:read": "all",
    "rotation-policy:write": "all",
    "settings:read": "all",
    "settings:write": "all",
    "clusters:write": "all",
    "repositories:write": "all",
    "notification:write": "all",
    "users:read": "all",
    "users:manage": "all",
    "proposal:merge": "all",
    "account:self": "all",
  },
};

/** The scope a role holds a permission in, or undefined when it does not hold it. */
export function permissionScope(role: Role, permission: Permission): PermissionScope | undefined {
  return rolePermissions[role][permission];
}
