import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { askAccessReview, type KubeAccessQuestion } from "./check-kube-access";

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
  return askAccessReview(kc, cluster, question);
}
