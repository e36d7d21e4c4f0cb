import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { SealingControllerRef } from "./discover-sealing-controller";
import type { KubeAccess } from "./kube-identity";
import { kubeGetJson } from "./kube-request";
import { controllerErrorFrom, requestController } from "./request-controller";

export type VerifyResult = { valid: boolean; message: string };

/**
 * Asks the sealed-secrets controller whether it can decrypt a SealedSecret (`POST /v1/verify`, what
 * `kubeseal --validate` does): 200 yes, 409 no. The controller decrypts in memory and answers yes or
 * no; no plaintext comes back. Upstream rate-limits this endpoint to 2 requests a second.
 */
export async function verifySealedSecret(
  access: KubeAccess,
  cluster: string,
  controller: SealingControllerRef,
  target: { namespace: string; name: string },
): Promise<VerifyResult> {
  const where = { cluster, namespace: target.namespace };
  const object = await kubeGetJson<Record<string, unknown>>(
    access.kc,
    `/apis/bitnami.com/v1alpha1/namespaces/${encodeURIComponent(target.namespace)}/sealedsecrets/${encodeURIComponent(target.name)}`,
    { ...where, as: access.as },
  );
  const { status: _status, ...manifest } = object;
  const response = await requestController(access, controller, "/v1/verify", {
    cluster,
    method: "POST",
    body: JSON.stringify(manifest),
    contentType: "application/json",
  });
  const text = response.text.trim();
  if (response.status === 200) return { valid: true, message: "The controller can decrypt every value." };
  if (response.status === 409)
    return { valid: false, message: text || "The controller cannot decrypt this SealedSecret." };
  if (response.status === 429)
    throw new AppError(
      "rate_limited",
      "The controller allows two verifications a second; try again shortly.",
      where,
    );
  throw await controllerErrorFrom(response, controller, cluster);
}
