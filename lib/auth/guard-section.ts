import "server-only";
import { forbidden } from "next/navigation";
import { authorize } from "./authorize";
import { getCurrentPrincipal } from "./get-current-principal";
import { pagePermissions, type PagePath } from "./route-permissions";

/**
 * A section's layout calls this so that a role without the section's permission gets a real HTTP 403:
 * the layout renders before the section's loading.tsx starts streaming, while the page (inside that
 * Suspense boundary) can no longer change the status. Signed-out visitors and one-time passwords pass
 * through to the page's own guardPage, which redirects with the full URL; namespace grants are the
 * page's to check too (a layout does not see the query).
 */
export async function guardSection(path: PagePath): Promise<void> {
  const access = pagePermissions[path];
  if (access.permission === "public") return;
  const principal = await getCurrentPrincipal();
  if (!principal || principal.mustChangePassword) return;
  if (!authorize(principal, access.permission).allowed) forbidden();
}
