import type { Metadata } from "next";
import { SealValueForm } from "@/components/seal/seal-value-form";
import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";
import { guardPage, type SearchParams } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Seal" };

export default async function SealPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const access = await guardPage("/seal", await searchParams);
  if (!access.allowed) return access.page;
  return (
    <>
      <PageHeader
        title="Seal"
        description="Encrypt a value in your browser with the sealed-secrets controller's public certificate."
      />
      <SealValueForm />
      <div className="mt-8">
        <NotBuiltYet
          feature="Sealing for a cluster, with a pull request"
          what={[
            "fetch each cluster's certificate for you and warn when it changed",
            "seal several keys for several clusters at once",
            "open a pull request with the sealed manifests",
          ]}
        />
      </div>
    </>
  );
}
