import type { Metadata } from "next";
import { Suspense } from "react";
import { SecretsBrowser } from "@/components/secrets/secrets-browser";
import { RouteLoading } from "@/components/ui/route-loading";
import { PageHeader } from "@/components/ui/page-header";
import { guardPage, type SearchParams } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Secrets" };

export default async function SecretsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const access = await guardPage("/secrets", await searchParams);
  if (!access.allowed) return access.page;
  return (
    <>
      <PageHeader
        title="Secrets"
        description="Every SealedSecret and ExternalSecret across clusters and namespaces."
      />
      {/* The browser reads its filters from the URL (useSearchParams), which needs a Suspense boundary. */}
      <Suspense fallback={<RouteLoading label="Loading secrets" />}>
        <SecretsBrowser />
      </Suspense>
    </>
  );
}
