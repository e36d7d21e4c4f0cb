import "server-only";
import { redirect } from "next/navigation";
import type { ReactElement } from "react";
import { Forbidden } from "@/components/auth/forbidden";
import { authorize } from "./authorize";
import { getCurrentPrincipal } from "./get-current-principal";
import type { NamespaceRef, Principal } from "./principal";
import { pagePermissions, type PagePath } from "./route-permissions";

export type SearchParams = Record<string, string | string[] | undefined>;
export type GuardResult = { allowed: true; principal: Principal } | { allowed: false; page: ReactElement };

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The namespace a namespaced page is asked about: `?cluster=&namespace=` or the route's params (both needed). */
export function namespaceFromSearch(searchParams: SearchParams): NamespaceRef | undefined {
  const cluster = one(searchParams.cluster);
  const namespace = one(searchParams.namespace);
  return cluster && namespace ? { cluster, namespace } : undefined;
}

/** /sign-in?callbackUrl=<this page>: dynamic segments filled from the params, the rest as the query. */
function signInUrl(path: string, searchParams: SearchParams) {
  const used = new Set<string>();
  const concrete = path.replace(/\[(\w+)\]/g, (_, key: string) => {
    used.add(key);
    return encodeURIComponent(one(searchParams[key]) ?? "");
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    if (used.has(key)) continue;
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
      query.append(key, item);
  }
  const target = query.size > 0 ? `${concrete}?${query}` : concrete;
  return `/sign-in?callbackUrl=${encodeURIComponent(target)}`;
}

/**
 * The first line of every page: anonymous → redirect to /sign-in (and back afterwards); one-time
 * password not yet changed → /change-password; not allowed → a 403 page to render instead.
 */
export async function guardPage(path: PagePath, searchParams: SearchParams = {}): Promise<GuardResult> {
  const access = pagePermissions[path];
  if (access.permission === "public") throw new Error(`${path} is public; it needs no guard`);
  const principal = await getCurrentPrincipal();
  const resource =
    "namespaced" in access && access.namespaced ? namespaceFromSearch(searchParams) : undefined;
  const decision = authorize(principal, access.permission, resource);
  if (decision.allowed) return { allowed: true, principal: principal! };
  if (decision.reason === "unauthenticated") redirect(signInUrl(path, searchParams));
  if (decision.reason === "password_change_required") redirect("/change-password");
  return { allowed: false, page: <Forbidden role={principal!.role} namespace={resource} /> };
}
