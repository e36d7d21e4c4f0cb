import "server-only";
import { authorize } from "@/lib/auth/authorize";
import { type Permission, permissionScope } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import type { ClusterStatus, ClusterWarning } from "@/lib/validations/cluster-status";

// Roles that read every cluster's inventory or settings see every cluster's details.
const everyCluster: readonly Permission[] = ["inventory:read", "settings:read"];

/**
 * May `principal` see a cluster's details (API server URL, controller location, sealing key names,
 * certificate, warnings)? Yes with an "all"-scoped inventory or settings permission; otherwise only
 * on a cluster where they hold a namespace grant (issue #13, 9c).
 */
export function canSeeClusterDetails(principal: Principal, cluster: string): boolean {
  if (principal.mustChangePassword) return false;
  if (
    everyCluster.some(
      (permission) =>
        permissionScope(principal.role, permission) === "all" && authorize(principal, permission).allowed,
    )
  )
    return true;
  return principal.grants.some((grant) => grant.cluster === "*" || grant.cluster === cluster);
}

/** A cluster as someone without a grant there sees it: its name, presentation and state only. */
export function hideClusterDetails(status: ClusterStatus): ClusterStatus {
  return {
    name: status.name,
    displayName: status.displayName ?? null,
    environment: status.environment ?? null,
    sandbox: status.sandbox,
    state: status.state,
    since: status.since,
    // A stale cluster's message quotes the connection error, which names the server.
    message: null,
    server: null,
    externalSecretsVersion: null,
    controller: null,
    detailsHidden: true,
  };
}

/** The cluster statuses and warnings for `principal`: details only where they hold a grant. */
export function redactClusterDetails(
  principal: Principal,
  view: { clusters: ClusterStatus[]; warnings: ClusterWarning[] },
): { clusters: ClusterStatus[]; warnings: ClusterWarning[] } {
  const allowed = new Set(
    view.clusters.filter((c) => canSeeClusterDetails(principal, c.name)).map((c) => c.name),
  );
  return {
    clusters: view.clusters.map((c) => (allowed.has(c.name) ? c : hideClusterDetails(c))),
    // Warnings name keys, certificates and what Sealdeck may not list: all details.
    warnings: view.warnings.filter(
      (w) => allowed.has(w.cluster) || canSeeClusterDetails(principal, w.cluster),
    ),
  };
}
