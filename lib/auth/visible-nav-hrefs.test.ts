import { describe, expect, it, vi } from "vitest";
import type { Principal } from "./principal";
import type { Role } from "./roles";

vi.mock("server-only", () => ({}));
const { visibleNavHrefs } = await import("./visible-nav-hrefs");

const principal = (role: Role, grants: Principal["grants"] = []): Principal =>
  ({
    sessionId: "s",
    userId: "00000000-0000-4000-8000-000000000001",
    username: role,
    displayName: role,
    role,
    grants,
    mustChangePassword: false,
  }) satisfies Principal;

describe("visibleNavHrefs", () => {
  it("shows an auditor no Seal link and a developer no Audit or Settings link", () => {
    const auditor = visibleNavHrefs(principal("auditor"));
    expect(auditor).toContain("/audit");
    expect(auditor).not.toContain("/seal");
    const developer = visibleNavHrefs(
      principal("developer", [{ cluster: "sandbox", namespace: "payments" }]),
    );
    expect(developer).toContain("/seal");
    expect(developer).not.toContain("/audit");
    expect(developer).not.toContain("/settings");
  });

  it("hides namespace-scoped sections from a developer without any grant", () => {
    const hrefs = visibleNavHrefs(principal("developer"));
    expect(hrefs).toContain("/");
    expect(hrefs).not.toContain("/secrets");
    expect(hrefs).not.toContain("/seal");
  });

  it("shows nothing but public sections to nobody", () => {
    expect(visibleNavHrefs(null)).toEqual([]);
  });

  it("lets an admin reach Settings", () => {
    expect(visibleNavHrefs(principal("admin"))).toContain("/settings");
  });
});
