import type { Metadata } from "next";
import { Suspense } from "react";
import { PolicyEditor } from "@/components/rotations/policy-editor";
import { RotationsBrowser } from "@/components/rotations/rotations-browser";
import { WaiversList } from "@/components/rotations/waivers-list";
import { PageHeader } from "@/components/ui/page-header";
import { RouteLoading } from "@/components/ui/route-loading";
import { authorize } from "@/lib/auth/authorize";
import { guardPage, type SearchParams } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Rotations" };

export default async function RotationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const access = await guardPage("/rotations", await searchParams);
  if (!access.allowed) return access.page;
  // Buttons a role may not use are not shown; the seal form, the actions and the routes check again.
  const can = (permission: Parameters<typeof authorize>[1]) =>
    authorize(access.principal, permission).allowed;
  const allowed = {
    rotate: can("secret:rotate"),
    forceSync: can("secret:force-sync"),
    editPolicies: can("rotation-policy:write"),
  };
  return (
    <>
      <PageHeader
        title="Rotations"
        description="Every key against its rotation policy: what is overdue or due soon, the evidence of its last rotation, and who owns it."
      />
      {/* The browser reads its filters from the URL (useSearchParams), which needs a Suspense boundary. */}
      <Suspense fallback={<RouteLoading label="Loading the rotation schedule" />}>
        <RotationsBrowser allowed={allowed} />
      </Suspense>
      <div className="mt-8 grid items-start gap-6 lg:grid-cols-2">
        <PolicyEditor canEdit={allowed.editPolicies} />
        <WaiversList canEdit={allowed.editPolicies} />
      </div>
    </>
  );
}
