import { permissionScope, type Permission } from "./permissions";
import type { NamespaceRef, Principal } from "./principal";

// THE authorization decision. Every page (guard-page), server action (authorized-action) and route
// handler (authorized-route) comes through here; anything not explicitly allowed is denied.

export type Decision =
  | { allowed: true }
  | {
      allowed: false;
      status: 401 | 403;
      reason: "unauthenticated" | "forbidden" | "password_change_required";
    };

const wildcard = "*";

export function grantCovers(grant: NamespaceRef, target: NamespaceRef): boolean {
  return (
    (grant.cluster === wildcard || grant.cluster === target.cluster) &&
    (grant.namespace === wildcard || grant.namespace === target.namespace)
  );
}

/**
 * May `principal` use `permission`, on `resource` when the action concerns one namespace?
 * A namespace-scoped ("granted") permission without a resource is allowed when the user holds at least
 * one grant: the page then shows only the granted namespaces.
 */
export function authorize(
  principal: Principal | null,
  permission: Permission,
  resource?: NamespaceRef,
): Decision {
  if (!principal) return { allowed: false, status: 401, reason: "unauthenticated" };
  // Until a one-time password is replaced, the account can do nothing but replace it (or sign out).
  if (principal.mustChangePassword && permission !== "account:self") {
    return { allowed: false, status: 403, reason: "password_change_required" };
  }
  const scope = permissionScope(principal.role, permission);
  if (scope === "all") return { allowed: true };
  if (scope === "granted") {
    const ok = resource
      ? principal.grants.some((grant) => grantCovers(grant, resource))
      : principal.grants.length > 0;
    if (ok) return { allowed: true };
  }
  return { allowed: false, status: 403, reason: "forbidden" };
}
