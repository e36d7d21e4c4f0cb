import type { Metadata } from "next";
import { KeyLossSection } from "@/components/recovery/key-loss-section";
import { StoreOutages } from "@/components/recovery/store-outages";
import { PageHeader } from "@/components/ui/page-header";
import { guardPage, type SearchParams } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Recovery" };

// A thin list of incident sections, one per kind of failure (issue #21).
export default async function RecoveryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const access = await guardPage("/recovery", await searchParams);
  if (!access.allowed) return access.page;
  return (
    <>
      <PageHeader
        title="Recovery"
        description="What is broken now, what depends on it, who must act, and when it is over."
      />
      <div className="space-y-8">
        <KeyLossSection />
        <StoreOutages />
      </div>
    </>
  );
}
