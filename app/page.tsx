import { connection } from "next/server";
import { SystemStatus } from "@/components/overview/system-status";
import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";
import { checkReadiness } from "@/lib/health/check-readiness";

export default async function OverviewPage() {
  await connection();
  const readiness = await checkReadiness();
  return (
    <>
      <PageHeader title="Overview" description="The health of your secret estate at a glance." />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <SystemStatus checks={readiness.checks} />
        <NotBuiltYet
          feature="The secret inventory"
          what={[
            "count SealedSecrets and ExternalSecrets by kind, health and cluster",
            "list failing items first, with the reason in plain words",
            "warn about sealing-controller certificates and unacknowledged new keys",
          ]}
        />
      </div>
    </>
  );
}
