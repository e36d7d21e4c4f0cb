import { z } from "zod";
import { roleSchema, roles, type Role } from "./roles";
import type { NamespaceRef } from "./principal";

// OIDC group claims → role and namespace grants. The mapping lives in the settings table under
// `groupMappingSettingKey`; admins edit it (JSON) and the CLI can set it.

export const groupMappingSettingKey = "auth.group-mapping";

const name = z.string().trim().min(1).max(253);
export const groupMappingSchema = z
  .array(
    z.object({
      group: name,
      role: roleSchema.optional(),
      grants: z.array(z.object({ cluster: name, namespace: z.string().trim().min(1).max(63) })).default([]),
    }),
  )
  .max(500);

export type GroupMapping = z.infer<typeof groupMappingSchema>;

// When a user is in several mapped groups, the most capable role wins (order of `roles`, reversed):
// admin > auditor > security-lead > developer. Grants from every matching group add up.
const rank = (role: Role) => roles.indexOf(role);

/** The role and grants a set of groups maps to, or null when no mapped group gives a role. */
export function mapGroupsToAccess(
  groups: readonly string[],
  mapping: GroupMapping,
): { role: Role; grants: NamespaceRef[] } | null {
  const member = new Set(groups);
  let role: Role | undefined;
  const grants = new Map<string, NamespaceRef>();
  for (const entry of mapping) {
    if (!member.has(entry.group)) continue;
    if (entry.role && (role === undefined || rank(entry.role) > rank(role))) role = entry.role;
    for (const grant of entry.grants) grants.set(`${grant.cluster}\u0000${grant.namespace}`, grant);
  }
  if (!role) return null;
  return { role, grants: [...grants.values()] };
}

/** Group names from an OIDC profile's claim: a string array, or one string (some IdPs send that). */
export function readGroupsClaim(profile: Record<string, unknown>, claim: string): string[] {
  const value = profile[claim];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  if (typeof value === "string") return [value];
  return [];
}
