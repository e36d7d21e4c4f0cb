import type { Metadata } from "next";
import { connection } from "next/server";
import { RuntimeFacts } from "@/components/settings/runtime-facts";
import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";
import { describeRuntime } from "@/lib/config/describe-runtime";
import { getEnv } from "@/lib/config/env";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await connection();
  return (
    <>
      <PageHeader title="Settings" description="How this Sealdeck runs, and (soon) its clusters, repositories and users." />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <RuntimeFacts facts={describeRuntime(getEnv())} />
        <NotBuiltYet
          feature="Editable settings"
          what={[
            "name clusters and mark them production, staging or development",
            "configure Git repositories, providers and path templates",
            "manage users, roles and namespace grants",
          ]}
        />
      </div>
    </>
  );
}
