import "server-only";

import { authorize } from "@/lib/auth/authorize";
import type { Permission } from "@/lib/auth/permissions";
import type { NamespaceRef, Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors/app-error";

/**
 * `authorizedAction` checks one namespace; a multi-cluster request must hold the permission in EVERY
 * cluster it touches. Throws AppError `forbidden` naming the first one that is not granted.
 */
export function authorizeEachCluster(
  principal: Principal,
  permission: Permission,
  targets: readonly NamespaceRef[],
): void {
  for (const target of targets) {
    if (!authorize(principal, permission, target).allowed)
      throw new AppError(
        "forbidden",
        `Your role does not allow this in namespace ${target.namespace} on cluster ${target.cluster}.`,
      );
  }
}
