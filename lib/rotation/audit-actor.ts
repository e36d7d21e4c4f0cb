import "server-only";
import type { Principal } from "@/lib/auth/principal";

/** The audit event's actor for a person acting through the Rotations workspace. */
export const auditActor = (principal: Principal) => ({
  userId: principal.userId,
  name: principal.username,
  role: principal.role,
});
