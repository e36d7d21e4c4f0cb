import type { Metadata } from "next";
import { StoreOutages } from "@/components/recovery/store-outages";
import { PageHeader } from "@/components/ui/page-header";
import { guardPage, type SearchParams } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Recovery" };

export default async function RecoveryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const access = await guardPage("/recovery", await searchParams);
  if (!access.allowed) return access.page;
  return (
    <>
      <PageHeader
        title="Recovery"
        description="What is broken now, what depends on it, and how long until it fails."
      />
      <StoreOutages />
    </>
  );
}
