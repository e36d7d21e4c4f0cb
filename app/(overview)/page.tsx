import { connection } from "next/server";
import { AdminOverview } from "@/components/overview/admin-overview";
import { SystemStatus } from "@/components/overview/system-status";
import { InventoryOverview } from "@/components/overview/inventory-overview";
import { PageHeader } from "@/components/ui/page-header";
import { checkReadiness } from "@/lib/health/check-readiness";
import { authorize } from "@/lib/auth/authorize";
import { guardPage } from "@/lib/auth/guard-page";
import { listUsers } from "@/lib/auth/list-users";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import { filterByKubeRbac } from "@/lib/kube/filter-by-kube-rbac";
import { filterVisibleRecords } from "@/lib/kube/filter-visible-records";
import { getInventory } from "@/lib/kube/inventory";
import { redactClusterDetails } from "@/lib/kube/redact-cluster-details";
import { summarizeInventory } from "@/lib/kube/summarize-inventory";

export default async function OverviewPage() {
  const access = await guardPage("/");
  if (!access.allowed) return access.page;
  await connection();
  const readiness = await checkReadiness();
  const inventory = getInventory();
  await inventory.ready();
  // A role that may not read the inventory (admin) gets a page about what it runs, never "every secret
  // is healthy" computed over the nothing it is allowed to see.
  if (!authorize(access.principal, "inventory:read").allowed) {
    const [repositories, users] = await Promise.all([
      readGitopsRepositories(),
      authorize(access.principal, "users:read").allowed ? listUsers(getPrismaOrThrow()) : Promise.resolve([]),
    ]);
    return (
      <>
        <PageHeader
          title="Overview"
          description="How Sealdeck itself is doing: its clusters, repositories and users."
        />
        <div className="grid items-start gap-6 lg:grid-cols-2">
          <SystemStatus checks={readiness.checks} />
          <AdminOverview
            clusters={inventory.clusterStatuses().map((c) => ({
              name: c.name,
              displayName: c.displayName ?? null,
              state: c.state,
              since: c.since,
              sandbox: c.sandbox,
            }))}
            repositories={repositories.map((r) => ({ id: r.id, provider: r.provider }))}
            users={users}
          />
        </div>
      </>
    );
  }
  const { clusters, warnings } = redactClusterDetails(access.principal, {
    clusters: inventory.clusterStatuses(),
    warnings: inventory.warnings(),
  });
  const summary = summarizeInventory(
    await filterByKubeRbac(filterVisibleRecords(inventory.list(), access.principal), access.principal),
    clusters,
    warnings,
  );
  return (
    <>
      <PageHeader title="Overview" description="The health of your secret estate at a glance." />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <SystemStatus checks={readiness.checks} />
        <InventoryOverview
          summary={summary}
          canAcknowledge={authorize(access.principal, "key-backup:acknowledge").allowed}
        />
      </div>
    </>
  );
}
