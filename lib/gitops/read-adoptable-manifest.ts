import "server-only";

import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors/app-error";
import { getInventory } from "@/lib/kube/inventory";
import { kubeGetJson } from "@/lib/kube/kube-request";
import type { SealedSecretManifest } from "@/lib/sealing";

import { adoptableManifest } from "./adoptable-manifest";

/**
 * A cluster's live SealedSecret as a manifest to commit (see adoptableManifest), read fresh from the API
 * server with the user's own access: the inventory keeps only the first bytes of each ciphertext. Only
 * the SealedSecret is read, never the Secret it unseals to.
 */
export async function readAdoptableManifest(
  principal: Principal,
  secret: { cluster: string; namespace: string; name: string },
): Promise<SealedSecretManifest> {
  const cluster = getInventory().cluster(secret.cluster);
  if (!cluster) throw new AppError("not_found", `Sealdeck does not know the cluster ${secret.cluster}.`);
  const access = cluster.accessFor(principal);
  const live = await kubeGetJson<unknown>(
    access.kc,
    `/apis/bitnami.com/v1alpha1/namespaces/${encodeURIComponent(secret.namespace)}/sealedsecrets/${encodeURIComponent(secret.name)}`,
    { cluster: secret.cluster, namespace: secret.namespace, as: access.as },
  ).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404)
      throw new AppError(
        "not_found",
        `${secret.namespace}/${secret.name} is neither in Git nor on cluster ${secret.cluster}: there is nothing to adopt.`,
      );
    throw error;
  });
  return adoptableManifest(live, { namespace: secret.namespace, name: secret.name });
}
