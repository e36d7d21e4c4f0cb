import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditBrowser } from "@/components/audit/audit-browser";
import { AuditPublicKey } from "@/components/audit/audit-public-key";
import { K8sAccessHistory } from "@/components/audit/k8s-access-history";
import { PageHeader } from "@/components/ui/page-header";
import { RouteLoading } from "@/components/ui/route-loading";
import { getAuditSigningKey } from "@/lib/audit/get-audit-signing-key";
import { authorize } from "@/lib/auth/authorize";
import { guardPage } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const access = await guardPage("/audit");
  if (!access.allowed) return access.page;
  // Security leads read the log; only auditors export it (the export route checks again).
  const canExport = authorize(access.principal, "audit:export").allowed;
  const { keyId, publicKeyPem } = getAuditSigningKey();
  return (
    <>
      <PageHeader
        title="Audit"
        description="Who changed or accessed which secret, when, and through which pull request. Every event is hash-chained to the one before it."
      />
      {/* The browser reads its filters from the URL (useSearchParams), which needs a Suspense boundary. */}
      <Suspense fallback={<RouteLoading label="Loading the audit log" />}>
        <AuditBrowser canExport={canExport} />
      </Suspense>
      <AuditPublicKey keyId={keyId} publicKeyPem={publicKeyPem} className="mt-8" />
      {/* What the Kubernetes API servers recorded about secrets (their audit webhook), kept apart from the chain. */}
      <div className="mt-8">
        <K8sAccessHistory title="Kubernetes API access to secrets" />
      </div>
    </>
  );
}
