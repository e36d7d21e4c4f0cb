import type { Role } from "./roles";

// The signed-in user as authorization sees it: loaded fresh from the database on every request, so a
// role change or a revoked session takes effect at once.

export type NamespaceRef = { cluster: string; namespace: string };

export type Principal = {
  sessionId: string;
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
  grants: NamespaceRef[];
};

/** What the browser may know about the signed-in user (no ids of sessions). */
export type SignedInUser = { username: string; displayName: string; role: Role };

export function toSignedInUser(principal: Principal): SignedInUser {
  return { username: principal.username, displayName: principal.displayName, role: principal.role };
}
