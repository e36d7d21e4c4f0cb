import "server-only";

import type { Principal } from "@/lib/auth/principal";
import { getPrismaOrThrow } from "@/lib/db/prisma";

import type { CommitAuthor } from "./provider";

/** The signed-in user as a Git identity: their name, and their address or a reserved one naming them. */
export async function committerOf(principal: Principal): Promise<CommitAuthor> {
  const user = await getPrismaOrThrow().user.findUnique({
    where: { id: principal.userId },
    select: { email: true },
  });
  return {
    name: principal.displayName || principal.username,
    // Git needs an address; a user without one gets a never-deliverable one that still names them.
    email: user?.email ?? `${principal.username.replace(/[^\w.+-]/g, "-")}@users.sealdeck.invalid`,
  };
}
