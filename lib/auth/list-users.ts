import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import { roleSchema, type Role } from "./roles";

export type UserSummary = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  source: "local" | "group-mapping" | "identity-provider";
  lastSignInAt: string | null;
  lockedUntil: string | null;
  openSessions: number;
  /** "mapping": from the OIDC group mapping (follows the groups at each sign-in); "admin": added here, kept. */
  grants: { id: string; cluster: string; namespace: string; source: "mapping" | "admin" }[];
};

/** Everyone who can sign in, for Settings → Users and access (no password hashes, no session ids). */
export async function listUsers(prisma: PrismaClient, now = new Date()): Promise<UserSummary[]> {
  const users = await prisma.user.findMany({
    orderBy: { username: "asc" },
    include: {
      grants: {
        select: { id: true, cluster: true, namespace: true, source: true },
        orderBy: [{ cluster: "asc" }, { namespace: "asc" }],
      },
      _count: { select: { sessions: { where: { revokedAt: null, expiresAt: { gt: now } } } } },
    },
  });
  return users.map((user) => ({
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: roleSchema.parse(user.role),
    source: user.managedByGroups ? "group-mapping" : user.externalProvider ? "identity-provider" : "local",
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    lockedUntil: user.lockedUntil && user.lockedUntil > now ? user.lockedUntil.toISOString() : null,
    openSessions: user._count.sessions,
    grants: user.grants.map((grant) => ({
      ...grant,
      source: grant.source === "mapping" ? "mapping" : "admin",
    })),
  }));
}
