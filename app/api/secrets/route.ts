import { authorizedRoute } from "@/lib/auth/authorized-route";
import { filterByKubeRbac } from "@/lib/kube/filter-by-kube-rbac";
import { filterVisibleRecords, visibleRecordTest } from "@/lib/kube/filter-visible-records";
import { getInventory } from "@/lib/kube/inventory";
import { kubeIdentityFor } from "@/lib/kube/kube-identity";
import { querySecretRecords } from "@/lib/kube/query-secret-records";
import { redactClusterDetails } from "@/lib/kube/redact-cluster-details";
import { type SecretListResponse, secretListQuerySchema } from "@/lib/validations/secret-list-query";

export const dynamic = "force-dynamic";

// GET /api/secrets – the inventory across clusters: filters, sorting, cursor pagination
export const GET = authorizedRoute("inventory:read", async (request, { principal }) => {
  const parsed = secretListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return Response.json(
      {
        error: "invalid query",
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      },
      { status: 422 },
    );
  }
  const inventory = getInventory();
  await inventory.ready();
  // Read the revision with the list, in the same tick: later events are newer than this page.
  const resourceVersion = inventory.revision;
  // Without impersonation the viewer's grants pick the places (cluster, namespace) read from the
  // inventory's cached sort orders, which every viewer shares; with it, the cluster's RBAC answers for a
  // filtered copy.
  const page = kubeIdentityFor(principal)
    ? querySecretRecords(
        await filterByKubeRbac(filterVisibleRecords(inventory.list(), principal), principal),
        parsed.data,
        undefined,
        { shared: false },
      )
    : querySecretRecords(inventory.list(), parsed.data, visibleRecordTest(principal) ?? undefined);
  const body: SecretListResponse = {
    ...page,
    resourceVersion,
    // Every reader gets every cluster's name and state; its details only with a grant there.
    ...redactClusterDetails(principal, {
      clusters: inventory.clusterStatuses(),
      warnings: inventory.warnings(),
    }),
  };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
