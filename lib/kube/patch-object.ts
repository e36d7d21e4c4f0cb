import "server-only";
import type { KubeAccess } from "./kube-identity";
import { kubeErrorFrom, kubeRequest } from "./kube-request";

/** A JSON merge patch (RFC 7386) of one object, sent as `access.as`; AppError with cluster and namespace on failure. */
export async function mergePatchObject(
  access: KubeAccess,
  path: string,
  patch: unknown,
  where: { cluster: string; namespace?: string },
): Promise<void> {
  const response = await kubeRequest(access.kc, path, {
    ...where,
    as: access.as,
    method: "PATCH",
    body: JSON.stringify(patch),
    contentType: "application/merge-patch+json",
  });
  if (!response.ok) throw await kubeErrorFrom(response, where);
  response.discard();
}
