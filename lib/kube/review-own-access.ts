import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeAccessQuestion } from "./check-kube-access";
import { kubeErrorFrom, kubeRequest } from "./kube-request";

/**
 * May Sealdeck's own account do this? A SelfSubjectAccessReview without impersonation, asked when a
 * list answers 403, to tell a missing grant from an authorizer that is still starting. Not cached:
 * it is asked once per 403 streak of a kind. A review that cannot be made throws.
 */
export async function reviewOwnAccess(
  kc: KubeConfig,
  cluster: string,
  question: KubeAccessQuestion,
): Promise<boolean> {
  const response = await kubeRequest(kc, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
    method: "POST",
    contentType: "application/json",
    cluster,
    body: JSON.stringify({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: {
        resourceAttributes: {
          verb: question.verb,
          group: question.group,
          resource: question.resource,
          ...(question.namespace ? { namespace: question.namespace } : {}),
        },
      },
    }),
  });
  if (!response.ok) throw await kubeErrorFrom(response, { cluster });
  const review = await response.json<{ status?: { allowed?: boolean; denied?: boolean } }>();
  return review.status?.allowed === true && review.status.denied !== true;
}
