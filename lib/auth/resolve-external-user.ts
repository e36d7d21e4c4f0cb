import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import {
  groupMappingSchema,
  groupMappingSettingKey,
  mapGroupsToAccess,
  type GroupMapping,
} from "./map-groups-to-access";
import { recordAuthEvent } from "./record-auth-event";

export type ExternalIdentity = {
  provider: string;
  subject: string;
  username: string;
  displayName: string;
  email: string | null;
  groups: string[];
};

export async function readGroupMapping(prisma: PrismaClient): Promise<GroupMapping> {
  const row = await prisma.setting.findUnique({ where: { key: groupMappingSettingKey } });
  const parsed = groupMappingSchema.safeParse(row?.value ?? []);
  // A broken mapping grants nothing rather than failing every sign-in with a server error.
  return parsed.success ? parsed.data : [];
}

/**
 * The user an OIDC/GitHub identity signs in as, or null when it may not sign in. Known identities
 * whose access was assigned in the app keep it; identities managed by the group mapping get it
 * re-applied at each sign-in (so leaving a group takes effect); a new identity is created only when
 * one of its groups maps to a role.
 */
export async function resolveExternalUser(
  prisma: PrismaClient,
  identity: ExternalIdentity,
): Promise<string | null> {
  const existing = await prisma.user.findUnique({
    where: {
      externalProvider_externalSubject: {
        externalProvider: identity.provider,
        externalSubject: identity.subject,
      },
    },
  });
  if (existing && !existing.managedByGroups) return existing.id;
  const access = mapGroupsToAccess(identity.groups, await readGroupMapping(prisma));
  if (!access) return null;
  const grants = access.grants.map((grant) => ({ ...grant, createdBy: "group-mapping" }));
  if (existing) {
    await prisma.$transaction([
      prisma.namespaceGrant.deleteMany({ where: { userId: existing.id } }),
      prisma.user.update({
        where: { id: existing.id },
        data: {
          role: access.role,
          displayName: identity.displayName,
          email: identity.email,
          grants: { create: grants },
        },
      }),
    ]);
    if (existing.role !== access.role) {
      await recordAuthEvent(prisma, {
        type: "auth.role-changed",
        actor: null,
        subject: existing.username,
        details: { from: existing.role, to: access.role, source: "group-mapping" },
      });
    }
    return existing.id;
  }
  // Usernames are unique across providers; an external login that collides gets the provider as suffix.
  const taken = await prisma.user.findUnique({ where: { username: identity.username } });
  const username = taken ? `${identity.username}@${identity.provider}` : identity.username;
  const created = await prisma.user.create({
    data: {
      username,
      displayName: identity.displayName,
      email: identity.email,
      role: access.role,
      externalProvider: identity.provider,
      externalSubject: identity.subject,
      managedByGroups: true,
      grants: { create: grants },
    },
  });
  await recordAuthEvent(prisma, {
    type: "auth.user-created",
    actor: null,
    subject: username,
    details: { role: access.role, provider: identity.provider, source: "group-mapping" },
  });
  return created.id;
}
