import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";
import { guardPage } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const access = await guardPage("/audit");
  if (!access.allowed) return access.page;
  return (
    <>
      <PageHeader
        title="Audit"
        description="Who changed or accessed which secret, when, and through which pull request."
      />
      <NotBuiltYet
        feature="The audit log"
        what={[
          "record every change, rotation and access in a hash-chained, append-only table",
          "filter by time, actor, action, cluster, namespace and secret",
          "export CSV, NDJSON or JSON with a signed manifest you can verify offline",
        ]}
      />
    </>
  );
}
