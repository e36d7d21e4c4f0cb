import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { roleSchema } from "@/lib/auth/roles";
import type { PrismaClient } from "@/lib/db/generated/client";

/**
 * The requester of a fix as authorization sees them now: role and grants read fresh from the database,
 * as loadPrincipal does for a request, so a role change or a removed grant applies to the restart.
 * Null when the account is gone or its role unknown. There is no session: the job acts on the user's
 * behalf, and the audit events say so.
 */
export async function loadFixRequester(prisma: PrismaClient, userId: string): Promise<Principal | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    include: { grants: { select: { cluster: true, namespace: true } } },
  });
  if (!user) return null;
  const role = roleSchema.safeParse(user.role);
  if (!role.success) return null;
  return {
    sessionId: "",
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: role.data,
    mustChangePassword: user.mustChangePassword,
    grants: user.grants,
    external: user.externalProvider !== null,
  };
}
