import { describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { ClusterStatus, ClusterWarning } from "@/lib/validations/cluster-status";
import { canSeeClusterDetails, hideClusterDetails, redactClusterDetails } from "./redact-cluster-details";

// Issue #13 item 9c: every inventory reader sees every cluster's name and state, but its details (API
// server, controller, sealing keys, certificate, warnings) only with a grant there or an "all" role.

const status = (name: string): ClusterStatus => ({
  name,
  displayName: `${name} (EU)`,
  environment: "production",
  server: `https://${name}.internal.example:6443`,
  sandbox: false,
  state: "stale",
  since: "2026-12-05T10:00:00.000Z",
  message: `connect ECONNREFUSED ${name}.internal.example:6443`,
  externalSecretsVersion: "v1",
  controller: {
    namespace: "kube-system",
    service: "sealed-secrets-controller",
    port: "http",
    url: null,
    certificate: null,
    error: null,
    keys: [{ name: `sealed-secrets-key-${name}`, createdAt: null, active: true }],
  },
});
const warning = (cluster: string): ClusterWarning => ({
  cluster,
  code: "new-key",
  message: `New sealing key sealed-secrets-key-${cluster}: back it up.`,
});
const view = () => ({
  clusters: [status("prod-eu"), status("prod-us")],
  warnings: [warning("prod-eu"), warning("prod-us")],
});
const who = (role: Role, grants: Principal["grants"] = []) =>
  testPrincipal({ userId: "u", username: role, displayName: role, role, grants });

describe("redactClusterDetails", () => {
  it("shows a developer the details of the clusters they hold a grant on, and only their name and state elsewhere", () => {
    const { clusters, warnings } = redactClusterDetails(
      who("developer", [{ cluster: "prod-eu", namespace: "payments" }]),
      view(),
    );
    expect(clusters[0]).toEqual(status("prod-eu"));
    expect(clusters[1]).toEqual({
      name: "prod-us",
      displayName: "prod-us (EU)",
      environment: "production",
      sandbox: false,
      state: "stale",
      since: "2026-12-05T10:00:00.000Z",
      message: null,
      server: null,
      externalSecretsVersion: null,
      controller: null,
      detailsHidden: true,
    });
    expect(warnings).toEqual([warning("prod-eu")]);
    const sent = JSON.stringify({ clusters, warnings });
    expect(sent).not.toContain("prod-us.internal.example");
    expect(sent).not.toContain("sealed-secrets-key-prod-us");
  });

  it("hides every cluster's details from a developer without grants, and none from one granted every cluster", () => {
    const none = redactClusterDetails(who("developer"), view());
    expect(none.clusters.every((c) => c.detailsHidden && c.server === null && c.controller === null)).toBe(
      true,
    );
    expect(none.warnings).toEqual([]);
    const everywhere = redactClusterDetails(
      who("developer", [{ cluster: "*", namespace: "team-a" }]),
      view(),
    );
    expect(everywhere).toEqual(view());
  });

  it("shows every cluster to the roles with an all-scoped inventory or settings permission", () => {
    for (const role of ["security-lead", "auditor", "admin"] as const)
      expect(redactClusterDetails(who(role), view()), role).toEqual(view());
  });

  it("hides everything from an account that must first change its password", () => {
    const principal = { ...who("security-lead"), mustChangePassword: true };
    expect(canSeeClusterDetails(principal, "prod-eu")).toBe(false);
  });

  it("keeps what the UI needs to draw the cluster", () => {
    const hidden = hideClusterDetails(status("prod-us"));
    expect(hidden).toMatchObject({ name: "prod-us", state: "stale", since: "2026-12-05T10:00:00.000Z" });
  });
});
