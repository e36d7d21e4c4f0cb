import "server-only";

import { permissionScope } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors/app-error";
import { fetchControllerCertificate } from "@/lib/kube/fetch-controller-certificate";
import { controllerLabel } from "@/lib/validations/cluster-status";
import type { SealingCertificateResponse } from "@/lib/validations/proposal";

import { describeClusterFailure, resolveSealingController } from "./resolve-sealing-controller";

/**
 * The certificate the browser seals with, read from the cluster's controller now (`/v1/cert.pem`): the
 * inventory knows where the controller is, the PEM itself is always fresh. A user whose seal permission
 * is limited to granted namespaces needs a grant on this cluster.
 */
export async function readSealingCertificate(
  principal: Principal,
  clusterName: string,
): Promise<SealingCertificateResponse> {
  if (
    permissionScope(principal.role, "secret:seal") === "granted" &&
    !principal.grants.some((grant) => grant.cluster === "*" || grant.cluster === clusterName)
  )
    throw new AppError("forbidden", `You hold no namespace on cluster ${clusterName}.`);
  const { cluster, ref } = await resolveSealingController(clusterName);
  let fetched: Awaited<ReturnType<typeof fetchControllerCertificate>>;
  try {
    fetched = await fetchControllerCertificate(cluster.accessFor(principal), clusterName, ref);
  } catch (error) {
    const notFound = error instanceof AppError && error.code === "not_found";
    throw new AppError(
      notFound ? "not_found" : "unavailable",
      `The sealing certificate of cluster ${clusterName} could not be read from ${controllerLabel(ref)}: ${describeClusterFailure(error)}.`,
      { cluster: clusterName },
    );
  }
  const { pem, info } = fetched;
  return {
    cluster: clusterName,
    pem,
    fingerprintSha256: info.fingerprintSha256,
    publicKeySha256: info.publicKeySha256,
    notAfter: info.notAfter.toISOString(),
    expired: info.notAfter.getTime() < Date.now(),
    // `url` only for a controller Settings points at directly: the proxied answer keeps its shape.
    controller: { namespace: ref.namespace, service: ref.service, ...(ref.url ? { url: ref.url } : {}) },
  };
}
