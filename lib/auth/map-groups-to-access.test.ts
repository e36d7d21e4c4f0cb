import { describe, expect, it } from "vitest";
import { groupMappingSchema, mapGroupsToAccess, readGroupsClaim } from "./map-groups-to-access";

const mapping = groupMappingSchema.parse([
  { group: "platform-devs", role: "developer", grants: [{ cluster: "prod", namespace: "payments" }] },
  {
    group: "checkout-devs",
    role: "developer",
    grants: [
      { cluster: "*", namespace: "checkout" },
      { cluster: "prod", namespace: "payments" },
    ],
  },
  { group: "secops", role: "security-lead" },
  { group: "compliance", role: "auditor" },
  { group: "sre-admins", role: "admin" },
  { group: "staging-access", grants: [{ cluster: "staging", namespace: "*" }] },
]);

describe("mapGroupsToAccess", () => {
  it("gives no access when no group is mapped", () => {
    expect(mapGroupsToAccess([], mapping)).toBeNull();
    expect(mapGroupsToAccess(["everyone", "Platform-Devs"], mapping)).toBeNull(); // exact, case-sensitive
  });

  it("maps a group to its role and grants", () => {
    expect(mapGroupsToAccess(["platform-devs"], mapping)).toEqual({
      role: "developer",
      grants: [{ cluster: "prod", namespace: "payments" }],
    });
    expect(mapGroupsToAccess(["compliance"], mapping)).toEqual({ role: "auditor", grants: [] });
  });

  it("adds up grants of every matching group, without duplicates", () => {
    const access = mapGroupsToAccess(["platform-devs", "checkout-devs", "staging-access"], mapping);
    expect(access?.role).toBe("developer");
    expect(access?.grants).toEqual([
      { cluster: "prod", namespace: "payments" },
      { cluster: "*", namespace: "checkout" },
      { cluster: "staging", namespace: "*" },
    ]);
  });

  it("grants alone do not make a role", () => {
    expect(mapGroupsToAccess(["staging-access"], mapping)).toBeNull();
  });

  it("the most capable role wins when groups disagree", () => {
    expect(mapGroupsToAccess(["platform-devs", "secops"], mapping)?.role).toBe("security-lead");
    expect(mapGroupsToAccess(["compliance", "secops"], mapping)?.role).toBe("auditor");
    expect(mapGroupsToAccess(["sre-admins", "compliance", "platform-devs"], mapping)?.role).toBe("admin");
  });

  it("rejects a mapping with an unknown role", () => {
    expect(groupMappingSchema.safeParse([{ group: "x", role: "superuser" }]).success).toBe(false);
  });
});

describe("readGroupsClaim", () => {
  it("reads arrays, single strings, and ignores anything else", () => {
    expect(readGroupsClaim({ groups: ["a", 1, "b"] }, "groups")).toEqual(["a", "b"]);
    expect(readGroupsClaim({ roles: "admins" }, "roles")).toEqual(["admins"]);
    expect(readGroupsClaim({ groups: { a: 1 } }, "groups")).toEqual([]);
    expect(readGroupsClaim({}, "groups")).toEqual([]);
  });
});
