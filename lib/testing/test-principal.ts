import type { Principal } from "../auth/principal";

// Tests that sign someone in care about who it is (id, name, role, grants); the rest of a Principal is
// the same for all of them: a live session and no forced password change.

/** A signed-in user for a test, with no grants unless given. */
export function testPrincipal(
  user: Pick<Principal, "userId" | "username" | "displayName" | "role"> & Partial<Principal>,
): Principal {
  return { sessionId: "session", mustChangePassword: false, grants: [], ...user };
}

/** A developer with these grants (and no others): the viewer the visibility tests filter for. */
export function testDeveloper(grants: Principal["grants"] = []): Principal {
  return testPrincipal({ userId: "u", username: "dev", displayName: "Dev", role: "developer", grants });
}
