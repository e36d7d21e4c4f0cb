import { describe, expect, it } from "vitest";
import { mergeOidcClaims } from "./merge-oidc-claims";

describe("mergeOidcClaims (ID token first, then userinfo)", () => {
  it("takes groups from userinfo when the ID token has none (OIDC Core §5.4)", () => {
    const merged = mergeOidcClaims(
      { sub: "u1", preferred_username: "ada" },
      { sub: "u1", groups: ["sealdeck-admins"], email: "ada@example.com" },
      "groups",
    );
    expect(merged).toMatchObject({ preferred_username: "ada", email: "ada@example.com" });
    expect(merged.groups).toEqual(["sealdeck-admins"]);
  });

  it("prefers the ID token's claims, groups included, over userinfo's", () => {
    const merged = mergeOidcClaims(
      { sub: "u1", name: "Token Name", roles: ["devs"] },
      { sub: "u1", name: "Userinfo Name", roles: ["admins"] },
      "roles",
    );
    expect(merged).toMatchObject({ name: "Token Name", roles: ["devs"] });
  });

  it("treats an empty groups list in the ID token as absent", () => {
    expect(
      mergeOidcClaims({ sub: "u1", groups: [] }, { sub: "u1", groups: ["devs"] }, "groups").groups,
    ).toEqual(["devs"]);
  });

  it("ignores userinfo for another subject, and works without userinfo", () => {
    expect(
      mergeOidcClaims({ sub: "u1" }, { sub: "u2", groups: ["admins"] }, "groups").groups,
    ).toBeUndefined();
    expect(mergeOidcClaims({ sub: "u1", groups: "devs" }, null, "groups").groups).toBe("devs");
  });
});
