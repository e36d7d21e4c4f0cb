import { receiveK8sAuditBatch } from "@/lib/audit/k8s-access/receive-k8s-audit-batch";
import { getEnv } from "@/lib/config/env";
import { getPrismaOrThrow } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

// POST /api/k8s-audit?cluster=NAME – the Kubernetes API server's audit webhook (audit.k8s.io/v1
// EventList). Public in the route registry: a bearer token authenticates it (the cluster's own from
// SEALDECK_K8S_AUDIT_TOKENS, or the shared SEALDECK_K8S_AUDIT_TOKEN).
export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  return receiveK8sAuditBatch(request, {
    token: env.SEALDECK_K8S_AUDIT_TOKEN,
    clusterTokens: env.SEALDECK_K8S_AUDIT_TOKENS,
    maxBytes: env.SEALDECK_K8S_AUDIT_MAX_BYTES,
    db: getPrismaOrThrow,
  });
}
