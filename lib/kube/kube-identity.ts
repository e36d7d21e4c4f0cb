import "server-only";
import { KubeConfig } from "@kubernetes/client-node";
import type { Principal } from "@/lib/auth/principal";
import { getEnv } from "@/lib/config/env";

/** Who a request is made as when impersonating: `Impersonate-User` and one `Impersonate-Group` each. */
export type KubeIdentity = { user: string; groups: readonly string[] };

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

// kubeRequest (the one place requests leave) reads the identity attached to a KubeConfig, so every
// helper that takes a KubeConfig (patches, proxy calls, verify) impersonates without new parameters.
const identities = new WeakMap<KubeConfig, KubeIdentity>();

/** A copy of `kc` whose requests carry the impersonation headers for `identity`. */
export function impersonating(kc: KubeConfig, identity: KubeIdentity): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.clusters,
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.getCurrentContext(),
  });
  identities.set(copy, identity);
  return copy;
}

export function impersonationOf(kc: KubeConfig): KubeIdentity | undefined {
  return identities.get(kc);
}
