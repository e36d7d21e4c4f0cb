import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { principalActor } from "@/lib/audit/principal-actor";

/** The audit event's actor for a person acting through the Rotations workspace. */
export const auditActor = (principal: Principal) => principalActor(principal);
