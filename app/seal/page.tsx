import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Seal" };

export default function SealPage() {
  return (
    <>
      <PageHeader title="Seal" description="Encrypt values in your browser with the cluster's public certificate." />
      <NotBuiltYet
        feature="Sealing"
        what={[
          "encrypt values in this page, so plaintext never leaves your browser",
          "seal for several clusters at once, each with its own certificate",
          "open a pull request with the sealed manifests",
        ]}
      />
    </>
  );
}
