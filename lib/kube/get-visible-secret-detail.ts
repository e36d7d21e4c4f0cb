import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { isAppError } from "@/lib/errors/app-error";
import type { SecretDetailResponse } from "@/lib/validations/secret-list-query";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";
import { kubeRbacAllows } from "./filter-by-kube-rbac";
import { type SecretAddress, getSecretDetail } from "./get-secret-detail";

/**
 * The record for the secret page's first render, or null when the viewer may not see it there
 * (Kubernetes RBAC) or it does not exist: then the page's client asks the API, which says why.
 * The caller has already checked Sealdeck's own grant for the namespace (guardPage).
 */
export async function getVisibleSecretDetail(
  principal: Principal,
  address: SecretAddress,
): Promise<SecretDetailResponse | null> {
  const namespace = address.namespace === CLUSTER_SCOPED_NAMESPACE ? null : address.namespace;
  if (!(await kubeRbacAllows({ cluster: address.cluster, kind: address.kind, namespace }, principal)))
    return null;
  try {
    return await getSecretDetail(address);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  }
}
