import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Secrets" };

export default function SecretsPage() {
  return (
    <>
      <PageHeader title="Secrets" description="Every SealedSecret and ExternalSecret across clusters and namespaces." />
      <NotBuiltYet
        feature="The secret inventory"
        what={[
          "list every SealedSecret and ExternalSecret live, with filters kept in the URL",
          "show each secret's health, keys (names only), source, consumers and owning Argo CD application",
          "explain unseal failures in plain words and offer force-sync, restart and verify",
        ]}
      />
    </>
  );
}
