import "server-only";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { type AuditPage, queryAuditRows, secretHistoryQuery } from "@/lib/audit/query-audit-events";
import { authorize } from "@/lib/auth/authorize";
import type { Principal } from "@/lib/auth/principal";
import type { SecretAddress } from "@/lib/kube/get-secret-detail";
import type { SecretHistoryResponse } from "@/lib/validations/audit-query";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";

/**
 * One page of a secret's own audit events, newest first, for whoever may see the secret (the caller has
 * checked that): the history route and the secret page's server render answer with the same body. The
 * actor's address and browser only with audit:read.
 */
export async function readSecretHistory(
  principal: Principal,
  address: SecretAddress,
  page: AuditPage,
): Promise<SecretHistoryResponse> {
  const { cluster, namespace, kind, name } = address;
  const found = await queryAuditRows(
    getAuditPoolOrThrow(),
    secretHistoryQuery({
      cluster,
      namespace: namespace === CLUSTER_SCOPED_NAMESPACE ? null : namespace,
      kind,
      name,
    }),
    page,
  );
  if (authorize(principal, "audit:read").allowed) return found;
  return {
    ...found,
    events: found.events.map((event) => ({ ...event, actor: { ...event.actor, ip: null, userAgent: null } })),
  };
}
