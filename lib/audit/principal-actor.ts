import "server-only";
import type { Principal } from "@/lib/auth/principal";
import type { AuditEventInput } from "./audit-event-input";

/**
 * The audit actor for a person acting: who (id, username, role) and from where (the address and user
 * agent of the request, when the principal came through authorizedAction or authorizedRoute).
 */
export function principalActor(
  principal: Pick<Principal, "username" | "role" | "client"> & { userId: string | null },
): NonNullable<AuditEventInput["actor"]> {
  return {
    userId: principal.userId,
    name: principal.username,
    role: principal.role,
    ip: principal.client?.ip ?? null,
    userAgent: principal.client?.userAgent ?? null,
  };
}
