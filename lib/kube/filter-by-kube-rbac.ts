import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { logger } from "@/lib/log/logger";
import type { SecretKind } from "@/lib/validations/secret-record";
import { checkKubeAccess } from "./check-kube-access";
import { getInventory } from "./inventory";
import { kubeIdentityFor, type KubeIdentity } from "./kube-identity";

type Located = { cluster: string; namespace: string | null; kind: SecretKind };

const resources: Record<SecretKind, { group: string; resource: string }> = {
  SealedSecret: { group: "bitnami.com", resource: "sealedsecrets" },
  ExternalSecret: { group: "external-secrets.io", resource: "externalsecrets" },
  ClusterExternalSecret: { group: "external-secrets.io", resource: "clusterexternalsecrets" },
};

const PARALLEL_REVIEWS = 8;

/**
 * With impersonation on, the records `principal` may list according to each cluster's RBAC (on top of
 * Sealdeck's own roles and grants, applied before). One review per cluster and kind settles users who
 * may list everywhere; the others get one per namespace they would see. Fails closed: a review that
 * cannot be made hides what it was about.
 */
export async function filterByKubeRbac<T extends Located>(
  records: readonly T[],
  principal: Principal,
): Promise<readonly T[]> {
  const identity = kubeIdentityFor(principal);
  if (!identity) return records;
  const allowed = await reviewScopes(identity, records);
  return records.filter(
    (r) =>
      allowed.has(scopeKey(r.cluster, r.kind, "")) ||
      allowed.has(scopeKey(r.cluster, r.kind, r.namespace ?? "")),
  );
}

/** Whether one record may be seen (the stream of changes asks per event; answers are cached). */
export async function kubeRbacAllows(record: Located, principal: Principal): Promise<boolean> {
  return (await filterByKubeRbac([record], principal)).length === 1;
}

const scopeKey = (cluster: string, kind: SecretKind, namespace: string) =>
  `${cluster}\u0000${kind}\u0000${namespace}`;

async function reviewScopes(identity: KubeIdentity, records: readonly Located[]): Promise<Set<string>> {
  const inventory = getInventory();
  const namespacesByKind = new Map<string, { cluster: string; kind: SecretKind; namespaces: Set<string> }>();
  for (const r of records) {
    const key = scopeKey(r.cluster, r.kind, "");
    const entry = namespacesByKind.get(key) ?? { cluster: r.cluster, kind: r.kind, namespaces: new Set() };
    if (r.namespace) entry.namespaces.add(r.namespace);
    namespacesByKind.set(key, entry);
  }
  const allowed = new Set<string>();
  const ask = async (cluster: string, kind: SecretKind, namespace: string) => {
    const cache = inventory.cluster(cluster);
    if (!cache) return;
    try {
      const ok = await checkKubeAccess(cache.loadConfig(), cluster, identity, {
        verb: "list",
        ...resources[kind],
        namespace,
      });
      if (ok) allowed.add(scopeKey(cluster, kind, namespace));
    } catch (error) {
      logger.warn(
        { err: error, cluster, kind, namespace },
        "access review failed; hiding the records it covers",
      );
    }
  };
  await runBounded(
    [...namespacesByKind.values()].map(
      ({ cluster, kind }) =>
        () =>
          ask(cluster, kind, ""),
    ),
  );
  const perNamespace = [...namespacesByKind.values()]
    .filter(({ cluster, kind }) => !allowed.has(scopeKey(cluster, kind, "")))
    .flatMap(({ cluster, kind, namespaces }) => [...namespaces].map((ns) => () => ask(cluster, kind, ns)));
  await runBounded(perNamespace);
  return allowed;
}

async function runBounded(tasks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REVIEWS, tasks.length) }, worker));
}
