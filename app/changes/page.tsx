import type { Metadata } from "next";
import { Suspense } from "react";
import { ChangesBrowser } from "@/components/changes/changes-browser";
import { PageHeader } from "@/components/ui/page-header";
import { RouteLoading } from "@/components/ui/route-loading";
import { guardPage, type SearchParams } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Changes" };

export default async function ChangesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const access = await guardPage("/changes", await searchParams);
  if (!access.allowed) return access.page;
  return (
    <>
      <PageHeader
        title="Changes"
        description="Pull requests Sealdeck opened for sealed secrets, and whether they were merged."
      />
      {/* The state filter lives in the URL (useSearchParams), which needs a Suspense boundary. */}
      <Suspense fallback={<RouteLoading label="Loading pull requests" />}>
        <ChangesBrowser />
      </Suspense>
    </>
  );
}
