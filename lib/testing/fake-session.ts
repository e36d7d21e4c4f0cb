import type { Principal } from "../auth/principal";

// Stands in for lib/auth/get-current-principal in tests that call server actions and route handlers
// directly: the session is the one thing faked, and a test signs someone in by setting
// `session.principal` (null: signed out). Wire it up in the test file with
//   vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

export const session: { principal: Principal | null } = { principal: null };

export const getCurrentPrincipal = async (): Promise<Principal | null> => session.principal;

export const getRequestPrincipal = async (): Promise<Principal | null> => session.principal;
