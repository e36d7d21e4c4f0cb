import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { AppError } from "@/lib/errors/app-error";
import type { KubeIdentity } from "./kube-identity";
import { kubeErrorFrom, kubeRequest } from "./kube-request";

/** What a SelfSubjectAccessReview asks: the resourceAttributes of authorization.k8s.io/v1. */
export type KubeAccessQuestion = {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Empty: every namespace (or a cluster-scoped resource). */
  namespace?: string;
  name?: string;
};

type Review = { status?: { allowed?: boolean; denied?: boolean; reason?: string } };

// Answers are cached briefly: a list page asks the same few questions on every request, and RBAC
// changes reaching the dashboard within this window is the trade-off kubectl's discovery cache makes too.
const TTL_MS = 30_000;
// On globalThis: the production build bundles this module more than once (routes, actions), and each copy
// would otherwise keep its own cache.
type AccessCache = Map<string, { allowed: boolean; expires: number }>;
const holder = globalThis as unknown as { sealdeckKubeAccessCache?: AccessCache };
const cache: AccessCache = (holder.sealdeckKubeAccessCache ??= new Map());

/**
 * May `identity` do this, according to the cluster's own RBAC? Asked as the user (a
 * SelfSubjectAccessReview sent with impersonation headers), so the answer is what the API server would
 * decide for their own requests. A review that cannot be made is an error, never an "allowed".
 */
export async function checkKubeAccess(
  kc: KubeConfig,
  cluster: string,
  identity: KubeIdentity,
  question: KubeAccessQuestion,
): Promise<boolean> {
  const key = JSON.stringify([cluster, identity.user, identity.groups, question]);
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && hit.expires > now) return hit.allowed;
  const allowed = await askAccessReview(kc, cluster, question, identity);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { allowed, expires: now + TTL_MS });
  return allowed;
}

/**
 * One SelfSubjectAccessReview, uncached: as `identity` (impersonated), or as Sealdeck's own account when
 * `identity` is undefined. A review that cannot be made throws.
 */
export async function askAccessReview(
  kc: KubeConfig,
  cluster: string,
  question: KubeAccessQuestion,
  identity?: KubeIdentity,
): Promise<boolean> {
  const body = {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: {
      resourceAttributes: {
        verb: question.verb,
        group: question.group,
        resource: question.resource,
        ...(question.subresource ? { subresource: question.subresource } : {}),
        ...(question.namespace ? { namespace: question.namespace } : {}),
        ...(question.name ? { name: question.name } : {}),
      },
    },
  };
  const response = await kubeRequest(kc, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
    method: "POST",
    body: JSON.stringify(body),
    contentType: "application/json",
    cluster,
    ...(identity ? { as: identity } : {}),
  });
  if (!response.ok) throw await kubeErrorFrom(response, { cluster, namespace: question.namespace });
  const review = await response.json<Review>();
  return review.status?.allowed === true && review.status.denied !== true;
}

/** Throws a 403 AppError in the user's words when the cluster's RBAC refuses the action. */
export async function requireKubeAccess(
  kc: KubeConfig,
  cluster: string,
  identity: KubeIdentity | null,
  question: KubeAccessQuestion,
): Promise<void> {
  if (!identity) return;
  if (await checkKubeAccess(kc, cluster, identity, question)) return;
  const where = question.namespace ? ` in namespace ${question.namespace}` : "";
  throw new AppError(
    "forbidden",
    `Cluster ${cluster} does not allow ${identity.user} to ${question.verb} ${question.resource}${question.subresource ? `/${question.subresource}` : ""}${where} (Kubernetes RBAC).`,
  );
}

/** Test hook. */
export function clearKubeAccessCache(): void {
  cache.clear();
}
