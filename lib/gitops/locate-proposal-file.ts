import "server-only";

import { getInventory } from "@/lib/kube/inventory";
import { obj, str } from "@/lib/kube/read-json";
import type { GitopsRepository } from "@/lib/validations/gitops";
import { secretRecordId } from "@/lib/validations/secret-record";

import { locateManifest, type ApplicationSource, type LocatedManifest } from "./locate-manifest";
import type { GitProvider } from "./provider";
import { repositoryUrls } from "./select-repository";

/**
 * The owning Argo CD Application of a SealedSecret as the inventory knows it: its name (for the `{app}`
 * placeholder) and its source (to search under its path when it syncs from the repository). Null when
 * the secret does not exist yet, the cluster is unknown, or no Application owns it.
 */
export function owningApplicationSource(
  cluster: string,
  namespace: string,
  name: string,
): { app: string; source: ApplicationSource | null } | null {
  const inventory = getInventory();
  const record = inventory.get(secretRecordId(cluster, namespace, "SealedSecret", name));
  const owner = record?.application;
  if (!owner) return null;
  const application = inventory
    .cluster(cluster)
    ?.snapshot()
    .applications?.find((a) => a.metadata.name === owner.name && a.metadata.namespace === owner.namespace);
  const spec = obj(application?.spec);
  // Multi-source Applications list `sources`; the first one that names a path is the manifests'.
  const sources = [obj(spec.source), ...(Array.isArray(spec.sources) ? spec.sources.map(obj) : [])];
  const source = sources.find((s) => str(s.repoURL)) ?? null;
  const repoURL = source ? str(source.repoURL) : null;
  return {
    app: owner.name,
    source:
      source && repoURL
        ? {
            repoURL,
            path: str(source.path) ?? undefined,
            targetRevision: str(source.targetRevision) ?? undefined,
          }
        : null,
  };
}

/** Where one cluster's SealedSecret lives (or would go) in `repository`. */
export async function locateProposalFile(
  provider: GitProvider,
  repository: GitopsRepository,
  secret: { cluster: string; namespace: string; name: string },
): Promise<LocatedManifest> {
  await getInventory().ready();
  const owner = owningApplicationSource(secret.cluster, secret.namespace, secret.name);
  return locateManifest({
    provider,
    repository: {
      baseBranch: repository.baseBranch,
      pathTemplates: repository.pathTemplates,
      urls: repositoryUrls(repository),
    },
    secret: { ...secret, app: owner?.app },
    clusters: getInventory()
      .clusterStatuses()
      .map((status) => status.name),
    application: owner?.source ?? null,
  });
}
