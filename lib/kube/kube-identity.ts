import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Principal } from "@/lib/auth/principal";
import { getEnv } from "@/lib/config/env";

/** Who a request is made as when impersonating: `Impersonate-User` and one `Impersonate-Group` each. */
export type KubeIdentity = { user: string; groups: readonly string[] };

/**
 * The credentials a request is sent with: the context's kubeconfig, and the user it acts for (null:
 * Sealdeck's own account). A plain value passed with every call, never looked up from module state:
 * the production build bundles this module into several server chunks, and a registry kept in one
 * copy is invisible to the others (issue #13: impersonation silently dropped for actions).
 */
export type KubeAccess = { readonly kc: KubeConfig; readonly as: KubeIdentity | null };

/** The group every impersonated request carries for the user's Sealdeck role, for RoleBindings to name. */
export const roleGroup = (role: Principal["role"]) => `sealdeck:${role}`;

/**
 * The Kubernetes identity to act as for `principal`, or null when Sealdeck uses its own credentials
 * (SEALDECK_KUBE_ACCESS=dashboard, the default).
 */
export function kubeIdentityFor(principal: Principal): KubeIdentity | null {
  const env = getEnv();
  if (env.SEALDECK_KUBE_ACCESS !== "impersonate") return null;
  return {
    user: `${env.SEALDECK_KUBE_USER_PREFIX}${principal.username}`,
    groups: [roleGroup(principal.role)],
  };
}

/** Sealdeck's own credentials (background work: lists, watches, controller discovery). */
export const ownAccess = (kc: KubeConfig): KubeAccess => ({ kc, as: null });
