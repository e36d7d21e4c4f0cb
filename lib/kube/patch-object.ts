import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeErrorFrom, kubeRequest } from "./kube-request";

/** A JSON merge patch (RFC 7386) of one object; AppError with cluster and namespace on failure. */
export async function mergePatchObject(
  kc: KubeConfig,
  path: string,
  patch: unknown,
  where: { cluster: string; namespace?: string },
): Promise<void> {
  const response = await kubeRequest(kc, path, {
    ...where,
    method: "PATCH",
    body: JSON.stringify(patch),
    contentType: "application/merge-patch+json",
  });
  if (!response.ok) throw await kubeErrorFrom(response, where);
  response.discard();
}
