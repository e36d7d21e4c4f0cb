import "server-only";

import { authorize } from "@/lib/auth/authorize";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors/app-error";
import { fetchControllerCertificate } from "@/lib/kube/fetch-controller-certificate";
import { getInventory } from "@/lib/kube/inventory";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import type { GitopsRepository } from "@/lib/validations/gitops";
import type { ReencryptionCandidate, ReencryptionCandidates } from "@/lib/validations/reencryption";
import type { SecretRecord } from "@/lib/validations/secret-record";

import { normalizeRepoUrl } from "./locate-manifest";
import { owningApplicationSource } from "./locate-proposal-file";
import { describeClusterFailure, resolveSealingController } from "./resolve-sealing-controller";
import { repositoryUrls } from "./select-repository";

const ORDER = { older: 0, unknown: 1, current: 2 } as const;

/**
 * Where each SealedSecret stands against the newest key: `sealdeck.io/sealed-with` (the record's
 * `source.sealedWith`, the same fact the Rotations work reads) equal to the newest certificate's public
 * key is current, another key is older, no annotation is unknown. Sorted older, unknown, current.
 */
export function classifyReencryption(
  records: readonly SecretRecord[],
  newestKey: string,
  repositoryOf: (record: SecretRecord) => string | null,
): ReencryptionCandidate[] {
  return records
    .flatMap((record): ReencryptionCandidate[] => {
      if (record.kind !== "SealedSecret" || record.source.kind !== "sealed-secrets" || !record.namespace)
        return [];
      const sealedWith = record.source.sealedWith;
      return [
        {
          namespace: record.namespace,
          name: record.name,
          sealedWith,
          status: sealedWith === null ? "unknown" : sealedWith === newestKey ? "current" : "older",
          repository: repositoryOf(record),
        },
      ];
    })
    .sort(
      (a, b) =>
        ORDER[a.status] - ORDER[b.status] ||
        a.namespace.localeCompare(b.namespace) ||
        a.name.localeCompare(b.name),
    );
}

/** The configured repository an Argo CD Application's `repoURL` names, if any. */
function repositoryMatcher(repositories: readonly GitopsRepository[]) {
  const byUrl = new Map<string, string>();
  for (const repository of repositories)
    for (const url of repositoryUrls(repository)) byUrl.set(normalizeRepoUrl(url), repository.id);
  return (record: SecretRecord): string | null => {
    const owner = owningApplicationSource(record.cluster, record.namespace ?? "", record.name);
    return owner?.source ? (byUrl.get(normalizeRepoUrl(owner.source.repoURL)) ?? null) : null;
  };
}

/**
 * The SealedSecrets of one cluster the user may re-encrypt (`secret:rotate` in their namespace), against
 * the controller's newest certificate read now (`/v1/cert.pem` as the user). When the certificate
 * cannot be read, nothing is classified and `error` says why.
 */
export async function listReencryptionCandidates(
  principal: Principal,
  clusterName: string,
): Promise<ReencryptionCandidates> {
  const inventory = getInventory();
  await inventory.ready();
  const cluster = inventory.cluster(clusterName);
  if (!cluster) throw new AppError("not_found", `No cluster named ${clusterName} is configured in Sealdeck.`);
  const records = inventory
    .list()
    .filter(
      (r) =>
        r.cluster === clusterName &&
        r.kind === "SealedSecret" &&
        r.namespace !== null &&
        authorize(principal, "secret:rotate", { cluster: clusterName, namespace: r.namespace }).allowed,
    );

  let newestKey: string;
  try {
    const { ref } = await resolveSealingController(clusterName);
    const { info } = await fetchControllerCertificate(cluster.accessFor(principal), clusterName, ref);
    newestKey = info.publicKeySha256;
  } catch (error) {
    return {
      cluster: clusterName,
      newestKey: null,
      error: `The newest sealing certificate could not be read: ${describeClusterFailure(error)}`,
      candidates: [],
      current: 0,
    };
  }
  const all = classifyReencryption(records, newestKey, repositoryMatcher(await readGitopsRepositories()));
  return {
    cluster: clusterName,
    newestKey,
    error: null,
    candidates: all.filter((c) => c.status !== "current"),
    current: all.filter((c) => c.status === "current").length,
  };
}
