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
  /** The user signs in through an identity provider (no Sealdeck password to change). */
  external?: boolean;
  /** How this session signed in ("credentials", "oidc", "github"). */
  signInProvider?: string;
  /**
   * The client of the request acting (address and user agent), attached by authorizedAction and
   * authorizedRoute so that every audit event a person causes records where it came from.
   */
  client?: { ip: string | null; userAgent: string | null };
};

/** What the browser may know about the signed-in user (no ids of sessions). */
export type SignedInUser = {
  username: string;
  displayName: string;
  role: Role;
  /** A local account: offered "Change password". */
  hasPassword?: boolean;
  /** Signed in through OIDC: sign-out also ends the provider's session when it supports that. */
  providerLogout?: boolean;
};

export function toSignedInUser(principal: Principal): SignedInUser {
  return {
    username: principal.username,
    displayName: principal.displayName,
    role: principal.role,
    hasPassword: !principal.external,
    providerLogout: principal.signInProvider === "oidc",
  };
}
