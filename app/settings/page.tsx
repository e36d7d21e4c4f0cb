import path from "node:path";
import type { Metadata } from "next";
import { connection } from "next/server";
import { AuditPublicKey } from "@/components/audit/audit-public-key";
import { AuditRetentionSettings } from "@/components/settings/audit-retention-settings";
import { ClustersSettings } from "@/components/settings/clusters-settings";
import { GroupMappingSettings } from "@/components/settings/group-mapping-settings";
import { NotificationsSettings } from "@/components/settings/notifications-settings";
import { RepositoriesSettings } from "@/components/settings/repositories-settings";
import { envNamesOf } from "@/components/settings/repository-fields";
import { RuntimeFacts } from "@/components/settings/runtime-facts";
import { SettingsSectionsNav } from "@/components/settings/settings-sections-nav";
import { TeamMappingSettings } from "@/components/settings/team-mapping-settings";
import { UsersAndAccess } from "@/components/settings/users-and-access";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAuditSigningKey } from "@/lib/audit/get-audit-signing-key";
import { describeRuntime } from "@/lib/config/describe-runtime";
import { getEnv } from "@/lib/config/env";
import { authorize } from "@/lib/auth/authorize";
import { guardPage } from "@/lib/auth/guard-page";
import { listUsers } from "@/lib/auth/list-users";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { readNotificationsSection } from "@/lib/notifications/read-notifications-section";
import { defaultGitopsRepository } from "@/lib/gitops/create-provider";
import { getInventory } from "@/lib/kube/inventory";
import { describeSealingKeys } from "@/lib/kube/describe-sealing-keys";
import { redactClusterDetails } from "@/lib/kube/redact-cluster-details";
import { clusterSettingOf } from "@/lib/settings/read-cluster-settings";
import { readSetting } from "@/lib/settings/read-setting";
import { settingDefinitions } from "@/lib/settings/setting-keys";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const access = await guardPage("/settings");
  if (!access.allowed) return access.page;
  await connection();
  const { principal } = access;
  const can = (permission: Parameters<typeof authorize>[1]) => authorize(principal, permission).allowed;
  const prisma = getPrismaOrThrow();
  const inventory = getInventory();
  const [clusters, repositories, groupMapping, retention, teamMapping] = await Promise.all([
    readSetting(settingDefinitions.clusters, prisma),
    readSetting(settingDefinitions.repositories, prisma),
    readSetting(settingDefinitions.groupMapping, prisma),
    readSetting(settingDefinitions.auditRetention, prisma),
    readSetting(settingDefinitions.teamMapping, prisma),
    inventory.ready(),
  ]);
  // Settings readers today all see every cluster; the same rule as the inventory keeps it so.
  const { clusters: statuses, warnings } = redactClusterDetails(principal, {
    clusters: inventory.clusterStatuses(),
    warnings: inventory.warnings(),
  });
  const inEffect = repositories.value ?? [defaultGitopsRepository(path.resolve(getEnv().SEALDECK_DATA_DIR))];
  // Whether each named variable is set: a boolean only, the value never leaves the server.
  const envPresence = Object.fromEntries(
    envNamesOf(inEffect).map((name) => [name, Boolean(process.env[name])]),
  );
  // Users and access: auditors see it (access reviews), only admins change it.
  const users = can("users:read") ? await listUsers(prisma) : null;
  const notifications = await readNotificationsSection(prisma);
  // Public half only: what auditors compare a bundle's fingerprint with.
  const { keyId, publicKeyPem } = getAuditSigningKey();
  const auditKey = { keyId, publicKeyPem };
  return (
    <>
      <PageHeader
        title="Settings"
        description="How this Sealdeck runs: its clusters, repositories, sign-in mapping and audit retention."
      />
      <SettingsSectionsNav withUsers={users !== null} />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <RuntimeFacts facts={describeRuntime(getEnv())} />
        <AuditRetentionSettings
          days={retention.value ?? null}
          canEdit={can("settings:write")}
          error={retention.error}
        />
        <AuditPublicKey {...auditKey} />
        <ClustersSettings
          clusters={statuses.map((status) => ({
            name: status.name,
            server: status.server,
            sandbox: status.sandbox,
            setting: clusterSettingOf(clusters.value ?? {}, status.name),
            controller: status.controller
              ? {
                  namespace: status.controller.namespace,
                  service: status.controller.service,
                  port: status.controller.port,
                  url: status.controller.url ?? null,
                }
              : null,
            keyWarnings: warnings.filter(
              (w) => w.cluster === status.name && (w.code === "new-key" || w.code === "certificate-changed"),
            ),
            sealingKeys: status.controller
              ? describeSealingKeys(
                  status.name,
                  status.controller.keys,
                  clusterSettingOf(clusters.value ?? {}, status.name).keyRenewalDays,
                  new Date(),
                )
              : null,
            keyHealthWarnings: warnings.filter(
              (w) =>
                w.cluster === status.name &&
                (w.code === "key-renewal-overdue" || w.code === "keys-piling-up"),
            ),
          }))}
          canEdit={can("clusters:write")}
          canAcknowledge={can("key-backup:acknowledge")}
          canReencrypt={can("secret:rotate")}
          error={clusters.error}
        />
        <Card title="Repositories" id="repositories" className="lg:col-span-2">
          <RepositoriesSettings
            stored={repositories.value}
            inEffect={inEffect}
            envPresence={envPresence}
            allowedHosts={getEnv().SEALDECK_GIT_ALLOWED_HOSTS ?? null}
            canEdit={can("repositories:write")}
            error={repositories.error}
          />
        </Card>
        <GroupMappingSettings
          mapping={groupMapping.value ?? []}
          canEdit={can("users:manage")}
          error={groupMapping.error}
          managedByFile={getEnv().SEALDECK_AUTH_GROUP_MAPPING ?? null}
        />
        <TeamMappingSettings
          mapping={teamMapping.value ?? []}
          canEdit={can("rotation-policy:write")}
          error={teamMapping.error}
        />
        <NotificationsSettings {...notifications} canEdit={can("notification:write")} />
        {users && <UsersAndAccess users={users} canManage={can("users:manage")} self={principal.username} />}
      </div>
    </>
  );
}
