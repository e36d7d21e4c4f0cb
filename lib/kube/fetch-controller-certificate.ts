import "server-only";
import { type CertificateInfo, parseCertificate } from "@/lib/sealing/parse-certificate";
import { readPinnedCertificate } from "@/lib/settings/read-cluster-settings";
import type { SealingControllerRef } from "./discover-sealing-controller";
import type { KubeAccess } from "./kube-identity";
import { controllerErrorFrom, requestController } from "./request-controller";

/** The controller's current sealing certificate (`/v1/cert.pem`), through the service proxy or its URL. */
export async function fetchControllerCertificate(
  access: KubeAccess,
  cluster: string,
  ref: SealingControllerRef,
): Promise<{ pem: string; info: CertificateInfo }> {
  // Settings → Clusters may pin the certificate (a controller the API server's proxy cannot reach).
  const pinned = await readPinnedCertificate(cluster);
  if (pinned) return { pem: pinned, info: await parseCertificate(pinned, { allowExpired: true }) };
  const response = await requestController(access, ref, "/v1/cert.pem", {
    cluster,
    accept: "application/x-pem-file, text/plain, */*",
  });
  if (response.status < 200 || response.status >= 300)
    throw await controllerErrorFrom(response, ref, cluster);
  const pem = response.text;
  // An expired certificate is still worth showing (with its expiry); sealing with it is the seal form's call.
  return { pem, info: await parseCertificate(pem, { allowExpired: true }) };
}
