import "server-only";

import { AppError } from "@/lib/errors/app-error";

import type { LocatedManifest } from "./locate-manifest";

/**
 * The path a proposal writes one cluster's manifest to: the one the server located, or another that the
 * repository's path templates give the same cluster, namespace and name. Any other path is refused: the
 * request was authorized for that cluster and namespace, and its pull request, proposal row and audit
 * events say so, so the file must be theirs too.
 */
export function chooseProposalPath(
  located: Pick<LocatedManifest, "path" | "templatePaths">,
  requested: string | undefined,
  secret: { cluster: string; namespace: string; name: string },
): string {
  if (requested === undefined) return located.path;
  const allowed = [...new Set([located.path, ...located.templatePaths])];
  if (allowed.includes(requested)) return requested;
  throw new AppError(
    "forbidden",
    `${requested.slice(0, 300)} is not a place for ${secret.namespace}/${secret.name} on cluster ${secret.cluster}; ` +
      `this repository keeps it at ${allowed.join(" or ")}.`,
  );
}
