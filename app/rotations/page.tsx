import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";
import { guardPage, type SearchParams } from "@/lib/auth/guard-page";

export const metadata: Metadata = { title: "Rotations" };

export default async function RotationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const access = await guardPage("/rotations", await searchParams);
  if (!access.allowed) return access.page;
  return (
    <>
      <PageHeader title="Rotations" description="Rotation schedules: what is overdue, due soon, or failed." />
      <NotBuiltYet
        feature="Rotation schedules"
        what={[
          "apply rotation policies per namespace, secret or key",
          "list what is overdue and due soon, from observed rotations",
          "link each rotation to the pull request that made it",
        ]}
      />
    </>
  );
}
