import "server-only";
import { navItems } from "@/lib/navigation";
import { authorize } from "./authorize";
import type { Principal } from "./principal";
import { pagePermissions } from "./route-permissions";

/**
 * The sections the principal may open, decided by the same `authorize()` as the pages themselves, so
 * the menu never offers a link that ends in "Access denied". A section missing from the registry is
 * hidden (deny by default). Namespace-scoped sections show when the user holds at least one grant.
 */
export function visibleNavHrefs(principal: Principal | null): string[] {
  const registry: Record<string, { permission: string } | undefined> = pagePermissions;
  return navItems
    .filter((item) => {
      const access = registry[item.href];
      if (!access) return false;
      if (access.permission === "public") return true;
      return authorize(principal, access.permission as Parameters<typeof authorize>[1]).allowed;
    })
    .map((item) => item.href);
}
