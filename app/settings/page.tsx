import type { Metadata } from "next";
import { connection } from "next/server";
import { RuntimeFacts } from "@/components/settings/runtime-facts";
import { UsersAndAccess } from "@/components/settings/users-and-access";
import { NotBuiltYet } from "@/components/ui/not-built-yet";
import { PageHeader } from "@/components/ui/page-header";
import { describeRuntime } from "@/lib/config/describe-runtime";
import { getEnv } from "@/lib/config/env";
import { authorize } from "@/lib/auth/authorize";
import { guardPage } from "@/lib/auth/guard-page";
import { listUsers } from "@/lib/auth/list-users";
import { getPrismaOrThrow } from "@/lib/db/prisma";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const access = await guardPage("/settings");
  if (!access.allowed) return access.page;
  await connection();
  const { principal } = access;
  // Users and access: auditors see it (access reviews), only admins change it.
  const users = authorize(principal, "users:read").allowed ? await listUsers(getPrismaOrThrow()) : null;
  return (
    <>
      <PageHeader
        title="Settings"
        description="How this Sealdeck runs, and (soon) its clusters, repositories and users."
      />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <RuntimeFacts facts={describeRuntime(getEnv())} />
        <NotBuiltYet
          feature="Editable settings"
          what={[
            "name clusters and mark them production, staging or development",
            "configure Git repositories, providers and path templates",
          ]}
        />
        {users && (
          <UsersAndAccess
            users={users}
            canManage={authorize(principal, "users:manage").allowed}
            self={principal.username}
          />
        )}
      </div>
    </>
  );
}
