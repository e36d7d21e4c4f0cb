import { connection } from "next/server";
import { SystemStatus } from "@/components/overview/system-status";
import { InventoryOverview } from "@/components/overview/inventory-overview";
import { PageHeader } from "@/components/ui/page-header";
import { checkReadiness } from "@/lib/health/check-readiness";
import { authorize } from "@/lib/auth/authorize";
import { guardPage } from "@/lib/auth/guard-page";
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
