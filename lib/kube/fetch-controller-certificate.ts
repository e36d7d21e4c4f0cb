import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { type CertificateInfo, parseCertificate } from "@/lib/sealing/parse-certificate";
import { readPinnedCertificate } from "@/lib/settings/read-cluster-settings";
import { controllerProxyPath, type SealingControllerRef } from "./discover-sealing-controller";
import { kubeErrorFrom, kubeRequest } from "./kube-request";

/** The controller's current sealing certificate (`/v1/cert.pem`), fetched through the service proxy. */
export async function fetchControllerCertificate(
  kc: KubeConfig,
  cluster: string,
  ref: SealingControllerRef,
): Promise<{ pem: string; info: CertificateInfo }> {
  // Settings → Clusters may pin the certificate (a controller the API server's proxy cannot reach).
  const pinned = await readPinnedCertificate(cluster);
  if (pinned) return { pem: pinned, info: await parseCertificate(pinned, { allowExpired: true }) };
  const response = await kubeRequest(kc, controllerProxyPath(ref, "/v1/cert.pem"), {
    cluster,
    namespace: ref.namespace,
    accept: "application/x-pem-file, text/plain, */*",
  });
  if (!response.ok) throw await kubeErrorFrom(response, { cluster, namespace: ref.namespace });
  const pem = await response.text();
  // An expired certificate is still worth showing (with its expiry); sealing with it is the seal form's call.
  return { pem, info: await parseCertificate(pem, { allowExpired: true }) };
}
