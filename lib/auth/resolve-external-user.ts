import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import {
  groupMappingSchema,
  groupMappingSettingKey,
  mapGroupsToAccess,
  type GroupMapping,
} from "./map-groups-to-access";
import type { NamespaceRef } from "./principal";
import { recordAuthEvent } from "./record-auth-event";
import type { Role } from "./roles";

export type ExternalIdentity = {
  provider: string;
  subject: string;
  username: string;
  displayName: string;
  email: string | null;
  groups: string[];
};

/** Who is an admin whatever the mapping says: for an SSO-only install's first admin (env). */
export type BootstrapAdmins = { groups: readonly string[]; users: readonly string[] };

export type ResolvedExternalUser =
  | { userId: string; role: Role }
  /** Refused; `demoted` names the user whose mapped access was just taken away (sessions revoked). */
  | { userId: null; demoted: string | null };

export async function readGroupMapping(prisma: PrismaClient): Promise<GroupMapping> {
  const row = await prisma.setting.findUnique({ where: { key: groupMappingSettingKey } });
  const parsed = groupMappingSchema.safeParse(row?.value ?? []);
  // A broken mapping grants nothing rather than failing every sign-in with a server error.
  return parsed.success ? parsed.data : [];
}

const refKey = (ref: NamespaceRef) => `${ref.cluster}\u0000${ref.namespace}`;

function accessFor(identity: ExternalIdentity, mapping: GroupMapping, admins: BootstrapAdmins) {
  const access = mapGroupsToAccess(identity.groups, mapping);
  const bootstrap =
    identity.groups.some((group) => admins.groups.includes(group)) ||
    admins.users.includes(identity.username);
  if (!bootstrap) return access;
  return { role: "admin" as const, grants: access?.grants ?? [] };
}

/**
 * The user an OIDC/GitHub identity signs in as, or a refusal. Known identities whose role was assigned
 * in the app keep it. For identities managed by the group mapping, the mapping is re-applied at each
 * sign-in: the role follows the groups, and only the grants the mapping owns (source "mapping") are
 * replaced; grants an admin added (source "admin") stay. Every role and grant change is audited in the
 * same transaction as the change. A managed user whose groups no longer map to a role is demoted to
 * developer, loses the mapping's grants and every open session. A new identity is created only when its
 * groups map to a role.
 */
export async function resolveExternalUser(
  prisma: PrismaClient,
  identity: ExternalIdentity,
  admins: BootstrapAdmins = { groups: [], users: [] },
): Promise<ResolvedExternalUser> {
  const existing = await prisma.user.findUnique({
    where: {
      externalProvider_externalSubject: {
        externalProvider: identity.provider,
        externalSubject: identity.subject,
      },
    },
    include: { grants: true },
  });
  if (existing && !existing.managedByGroups) {
    return { userId: existing.id, role: existing.role as Role };
  }
  const access = accessFor(identity, await readGroupMapping(prisma), admins);
  const system = { actor: null, subject: existing?.username ?? identity.username } as const;
  if (existing) {
    const wanted = new Map((access?.grants ?? []).map((grant) => [refKey(grant), grant]));
    const held = new Set(existing.grants.map(refKey));
    const removed = existing.grants.filter(
      (grant) => grant.source === "mapping" && !wanted.has(refKey(grant)),
    );
    const added = [...wanted.values()].filter((grant) => !held.has(refKey(grant)));
    const role: Role = access?.role ?? "developer";
    await prisma.$transaction(async (tx) => {
      if (existing.role !== role) {
        await recordAuthEvent(tx, {
          type: "auth.role-changed",
          ...system,
          details: { from: existing.role, to: role, source: "group-mapping" },
        });
      }
      for (const grant of removed) {
        await recordAuthEvent(tx, {
          type: "auth.grant-removed",
          ...system,
          details: { cluster: grant.cluster, namespace: grant.namespace, source: "group-mapping" },
        });
      }
      for (const grant of added) {
        await recordAuthEvent(tx, {
          type: "auth.grant-added",
          ...system,
          details: { cluster: grant.cluster, namespace: grant.namespace, source: "group-mapping" },
        });
      }
      if (!access) {
        const open = await tx.authSession.count({ where: { userId: existing.id, revokedAt: null } });
        if (open > 0) {
          await recordAuthEvent(tx, {
            type: "auth.sessions-revoked",
            ...system,
            details: { sessions: open, reason: "no-role-for-groups", source: "group-mapping" },
          });
          await tx.authSession.updateMany({
            where: { userId: existing.id, revokedAt: null },
            data: { revokedAt: new Date() },
          });
        }
      }
      await tx.namespaceGrant.deleteMany({ where: { id: { in: removed.map((grant) => grant.id) } } });
      await tx.user.update({
        where: { id: existing.id },
        data: {
          role,
          displayName: identity.displayName,
          email: identity.email,
          grants: {
            create: added.map((grant) => ({ ...grant, source: "mapping", createdBy: "group-mapping" })),
          },
        },
      });
    });
    return access ? { userId: existing.id, role } : { userId: null, demoted: existing.username };
  }
  if (!access) return { userId: null, demoted: null };
  // Usernames are unique across providers; an external login that collides gets the provider as suffix.
  const taken = await prisma.user.findUnique({ where: { username: identity.username } });
  const username = taken ? `${identity.username}@${identity.provider}` : identity.username;
  const created = await prisma.$transaction(async (tx) => {
    await recordAuthEvent(tx, {
      type: "auth.user-created",
      actor: null,
      subject: username,
      details: { role: access.role, provider: identity.provider, source: "group-mapping" },
    });
    for (const grant of access.grants) {
      await recordAuthEvent(tx, {
        type: "auth.grant-added",
        actor: null,
        subject: username,
        details: { cluster: grant.cluster, namespace: grant.namespace, source: "group-mapping" },
      });
    }
    return tx.user.create({
      data: {
        username,
        displayName: identity.displayName,
        email: identity.email,
        role: access.role,
        externalProvider: identity.provider,
        externalSubject: identity.subject,
        managedByGroups: true,
        grants: {
          create: access.grants.map((grant) => ({ ...grant, source: "mapping", createdBy: "group-mapping" })),
        },
      },
    });
  });
  return { userId: created.id, role: access.role };
}
