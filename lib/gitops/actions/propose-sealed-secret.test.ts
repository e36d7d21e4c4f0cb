import { stat } from "node:fs/promises";
import path from "node:path";

import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { Principal } from "@/lib/auth/principal";
import { Inventory } from "@/lib/kube/inventory";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";

import { createPlainGitProvider } from "../plain-git-provider";
import { refreshStaleProposals } from "../refresh-proposal-states";
import { createGitFixture, fakeSealedSecret, type GitFixture } from "../testing/git-fixture";
import { providerCacheDir, removeProviderCache } from "../testing/provider-cache-dir";

// proposeSealedSecret end to end: the server action (origin, session, permission, every cluster's
// namespace), the audit log first and fail-closed, a real bare repository through the plain-git
// provider, and the Proposal row. The session is the one thing faked: getCurrentPrincipal returns the
// user this file signs in as.

// The request comes from a browser at a known address (the forwarded-headers guard's resolved client).
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";
vi.mock("next/headers", async () => {
  const fake = await import("@/lib/testing/fake-next-headers");
  return {
    ...fake,
    headers: async () => {
      const headers = await fake.headers();
      headers.set("x-sealdeck-client-ip", "198.51.100.23");
      headers.set("user-agent", BROWSER);
      return headers;
    },
  };
});
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const FILE = "sandbox/production/db-credentials.sealedsecret.yaml";
const EXISTING = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db-credentials
  namespace: production
spec:
  encryptedData:
    password: AgOLDPASSWORD==
    username: AgOLDUSERNAME==
  template:
    metadata:
      name: db-credentials
      namespace: production
    type: Opaque
`;
const FINGERPRINT = "cd".repeat(32);

const database = setupMigratedDatabase({ appClient: true });
const { prisma, query } = database;
let fixture: GitFixture;
let userId: string;

const developer = (grants: Principal["grants"]) =>
  testPrincipal({ userId, username: "dana", displayName: "Dana Developer", role: "developer", grants });

function rotateInput(values: Record<string, string>, overrides: Record<string, unknown> = {}) {
  return {
    action: "rotate",
    namespace: "production",
    name: "db-credentials",
    scope: "strict",
    keys: Object.keys(values),
    reason: "quarterly rotation",
    ticket: "SEC-42",
    files: [
      {
        cluster: "sandbox",
        certificateFingerprint: FINGERPRINT,
        manifest: fakeSealedSecret("production", "db-credentials", values),
        path: FILE,
      },
    ],
    ...overrides,
  };
}

const auditRows = () =>
  query<{
    action: string;
    outcome: string;
    actor_name: string;
    actor_ip: string | null;
    actor_user_agent: string | null;
    target_cluster: string | null;
    target_keys: string[];
    details: Record<string, unknown>;
    pull_request_url: string | null;
  }>(
    "SELECT action, outcome, actor_name, actor_ip, actor_user_agent, target_cluster, target_keys, details, pull_request_url FROM audit_events ORDER BY seq",
  );

beforeAll(async () => {
  // No clusters: the secret is located by the path templates alone.
  (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory = new Inventory([]);
  userId = (
    await prisma.user.create({
      data: {
        username: "dana",
        displayName: "Dana Developer",
        email: "dana@example.test",
        role: "developer",
      },
    })
  ).id;
});

beforeEach(async () => {
  fixture = await createGitFixture({ [FILE]: EXISTING, "README.md": "# deploy\n" });
  await prisma.setting.upsert({
    where: { key: "gitops.repositories" },
    create: { key: "gitops.repositories", value: [{ provider: "plain-git", remote: fixture.remote }] },
    update: { value: [{ provider: "plain-git", remote: fixture.remote }] },
  });
  session.principal = developer([{ cluster: "sandbox", namespace: "production" }]);
});
afterEach(async () => {
  await query("DELETE FROM proposals");
  await fixture.cleanup();
  // The provider's cache clone of this fixture's remote.
  await removeProviderCache(fixture.remote);
});

describe("proposeSealedSecret", () => {
  it("audits the request first, pushes the secret's branch and records the proposal", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const before = (await auditRows()).length;
    const mainBefore = await fixture.head("main");

    const result = await proposeSealedSecret(rotateInput({ password: "AgNEWPASSWORD==" }));

    expect(result).toEqual({
      ok: true,
      data: {
        pullRequest: {
          number: 0,
          url: `${fixture.remote}#sealdeck/production/db-credentials`,
          state: "open",
        },
        branch: "sealdeck/production/db-credentials",
        created: true,
        files: [{ cluster: "sandbox", path: FILE }],
      },
    });
    expect(await fixture.branches()).toEqual(["main", "sealdeck/production/db-credentials"]);
    expect(await fixture.head("main")).toBe(mainBefore);
    expect(await fixture.read("sealdeck/production/db-credentials", FILE)).toContain("AgNEWPASSWORD==");
    const message = (await fixture.log("sealdeck/production/db-credentials", "%B")).join("\n");
    expect(message).toContain("Requested by: Dana Developer dana@example.test");
    expect(message).toContain(
      "Dashboard: http://sealdeck.test/secrets/sandbox/production/SealedSecret/db-credentials",
    );
    expect(message).toContain(`Certificate (sandbox): ${FINGERPRINT}`);

    const events = (await auditRows()).slice(before);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ["secret.seal.requested", "pending"],
      ["pull_request.opened", "success"],
    ]);
    expect(events[0]).toMatchObject({
      actor_name: "dana",
      target_cluster: "sandbox",
      target_keys: ["password"],
      details: {
        scope: "strict",
        action: "rotate",
        reason: "quarterly rotation",
        ticket: "SEC-42",
        certificates: [{ cluster: "sandbox", fingerprint: FINGERPRINT }],
      },
    });
    expect(events[1]?.details).toMatchObject({ branch: "sealdeck/production/db-credentials", number: 0 });
    // Both the seal and its pull request say where the person acted from.
    for (const event of events)
      expect(event).toMatchObject({ actor_ip: "198.51.100.23", actor_user_agent: BROWSER });
    // Plain git has no web address for a proposal; the audit column takes http(s) URLs only.
    expect(events[1]?.pull_request_url).toBeNull();
    // Only names, fingerprints and paths: no ciphertext, let alone a value.
    expect(JSON.stringify(events)).not.toContain("AgNEWPASSWORD");

    const rows = await prisma.proposal.findMany();
    expect(rows).toMatchObject([
      {
        repository: "default",
        provider: "plain-git",
        number: 0,
        branch: "sealdeck/production/db-credentials",
        baseBranch: "main",
        state: "open",
        namespace: "production",
        name: "db-credentials",
        clusters: ["sandbox"],
        keys: ["password"],
        requestedById: userId,
        requestedByName: "dana", // as the audit log names her (actor_name above)
        headSha: await fixture.head("sealdeck/production/db-credentials"),
      },
    ]);
  });

  it("updates the open proposal for a second change to the same secret", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    await proposeSealedSecret(rotateInput({ password: "AgNEWPASSWORD==" }));
    const second = await proposeSealedSecret(rotateInput({ username: "AgNEWUSERNAME==" }));

    expect(second).toMatchObject({ ok: true, data: { created: false } });
    const file = await fixture.read("sealdeck/production/db-credentials", FILE);
    expect(file).toContain("AgNEWPASSWORD==");
    expect(file).toContain("AgNEWUSERNAME==");
    const rows = await prisma.proposal.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ keys: ["password", "username"], state: "open" });
    expect(rows[0]?.headSha).toBe(await fixture.head("sealdeck/production/db-credentials"));
    const actions = (await auditRows()).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(["secret.seal.requested", "pull_request.updated"]);
  });

  it("locates a new secret's file from the path templates when the form sends no path", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const manifest = fakeSealedSecret("production", "new-api", { token: "AgNEWTOKEN==" });
    const result = await proposeSealedSecret({
      action: "create",
      namespace: "production",
      name: "new-api",
      scope: "strict",
      keys: ["token"],
      files: [{ cluster: "sandbox", certificateFingerprint: FINGERPRINT, manifest }],
    });
    expect(result).toMatchObject({
      ok: true,
      data: { files: [{ cluster: "sandbox", path: "sandbox/production/new-api.sealedsecret.yaml" }] },
    });
    expect(
      await fixture.read("sealdeck/production/new-api", "sandbox/production/new-api.sealedsecret.yaml"),
    ).toContain("AgNEWTOKEN==");
  });

  it("checks the grant of every file's cluster, not just the first", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const before = (await auditRows()).length;
    const input = rotateInput({ password: "AgNEWPASSWORD==" });
    input.files.push({
      cluster: "prod-eu",
      certificateFingerprint: FINGERPRINT,
      manifest: fakeSealedSecret("production", "db-credentials", { password: "AgOTHER==" }),
      path: "prod-eu/production/db-credentials.sealedsecret.yaml",
    });
    expect(await proposeSealedSecret(input)).toMatchObject({ ok: false, status: 403 });
    expect(await fixture.branches()).toEqual(["main"]);
    expect((await auditRows()).length).toBe(before);

    // With a grant on both, the same request goes through as one proposal for both clusters.
    session.principal = developer([
      { cluster: "sandbox", namespace: "production" },
      { cluster: "prod-eu", namespace: "production" },
    ]);
    await fixture.push("main", { "prod-eu/production/db-credentials.sealedsecret.yaml": EXISTING });
    expect(await proposeSealedSecret(input)).toMatchObject({ ok: true, data: { created: true } });
    expect((await prisma.proposal.findFirstOrThrow()).clusters).toEqual(["prod-eu", "sandbox"]);
  });

  it("refuses when the audit log cannot be written, before anything reaches the Git host", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const mainBefore = await fixture.head("main");
    const commitsBefore = await fixture.log("main");
    await withAuditLogUnavailable(database, async () => {
      const result = await proposeSealedSecret(rotateInput({ password: "AgNEWPASSWORD==" }));
      expect(result).toMatchObject({ ok: false, status: 503 });
      expect(result.ok ? "" : result.error).toMatch(/audit log/);
    });
    expect(await fixture.branches()).toEqual(["main"]);
    expect(await fixture.head("main")).toBe(mainBefore);
    expect(await fixture.log("main")).toEqual(commitsBefore);
    expect(await prisma.proposal.count()).toBe(0);
    // Not even the provider's cache was prepared: the Git host was never contacted.
    await expect(stat(providerCacheDir(fixture.remote))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("passes the Git host's error on and audits the failure", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const missing = "sandbox/production/missing.sealedsecret.yaml";
    const result = await proposeSealedSecret(
      rotateInput(
        { password: "AgNEWPASSWORD==" },
        {
          name: "missing",
          files: [
            {
              cluster: "sandbox",
              certificateFingerprint: FINGERPRINT,
              manifest: fakeSealedSecret("production", "missing", { password: "AgNEW==" }),
              path: missing,
            },
          ],
        },
      ),
    );
    expect(result).toMatchObject({ ok: false, status: 404 });
    expect(result.ok ? "" : result.error).toContain(`${missing} does not exist on main`);
    const last = (await auditRows()).at(-1);
    expect(last).toMatchObject({ action: "pull_request.failed", outcome: "failure" });
    expect(String(last?.details.error)).toContain("does not exist on main");
    expect(await fixture.branches()).toEqual(["main"]);
  });

  it("refuses a path in another cluster's folder: nothing committed, no proposal row", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    session.principal = developer([{ cluster: "sandbox", namespace: "development" }]);
    const manifest = fakeSealedSecret("development", "db-credentials", { password: "AgNEWPASSWORD==" });
    const propose = (path: string) =>
      proposeSealedSecret({
        action: "create",
        namespace: "development",
        name: "db-credentials",
        scope: "strict",
        keys: ["password"],
        files: [{ cluster: "sandbox", certificateFingerprint: FINGERPRINT, manifest, path }],
      });
    const mainBefore = await fixture.head("main");
    for (const path of [
      "sandbox-2/production/db-credentials.sealedsecret.yaml",
      "sandbox-2/development/db-credentials.sealedsecret.yaml",
      "sandbox/development/elsewhere.yaml",
    ]) {
      const result = await propose(path);
      expect(result).toMatchObject({ ok: false, status: 403 });
      expect(result.ok ? "" : result.error).toBe(
        `${path} is not a place for development/db-credentials on cluster sandbox; this repository keeps it at sandbox/development/db-credentials.sealedsecret.yaml.`,
      );
      const last = (await auditRows()).at(-1);
      expect(last).toMatchObject({
        action: "pull_request.failed",
        outcome: "failure",
        target_cluster: "sandbox",
      });
    }
    expect(await fixture.branches()).toEqual(["main"]);
    expect(await fixture.head("main")).toBe(mainBefore);
    expect(await prisma.proposal.count()).toBe(0);

    // Backslashes and control characters never get as far as the Git host.
    for (const path of [
      "sandbox\\development\\db-credentials.yaml",
      "sandbox/development/db\ncredentials.yaml",
    ])
      expect(await propose(path)).toMatchObject({ ok: false, status: 422 });

    // The path the server locates is accepted as the form sends it back.
    expect(await propose("sandbox/development/db-credentials.sealedsecret.yaml")).toMatchObject({
      ok: true,
      data: { files: [{ cluster: "sandbox", path: "sandbox/development/db-credentials.sealedsecret.yaml" }] },
    });
  });

  it("accepts another of the repository's templates for the same cluster and namespace", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const pathTemplates = [
      "{cluster}/{namespace}/{name}.sealedsecret.yaml",
      "{cluster}/{namespace}/sealed-secrets.yaml",
    ];
    await prisma.setting.update({
      where: { key: "gitops.repositories" },
      data: { value: [{ provider: "plain-git", remote: fixture.remote, pathTemplates }] },
    });
    const result = await proposeSealedSecret({
      action: "create",
      namespace: "production",
      name: "api-token",
      scope: "strict",
      keys: ["token"],
      files: [
        {
          cluster: "sandbox",
          certificateFingerprint: FINGERPRINT,
          manifest: fakeSealedSecret("production", "api-token", { token: "AgNEWTOKEN==" }),
          path: "sandbox/production/sealed-secrets.yaml",
        },
      ],
    });
    expect(result).toMatchObject({
      ok: true,
      data: { files: [{ cluster: "sandbox", path: "sandbox/production/sealed-secrets.yaml" }] },
    });
  });

  it("refuses input that is not ciphertext-only, and users without the permission", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const withValue = rotateInput({ password: "AgNEWPASSWORD==" }) as Record<string, unknown>;
    expect(await proposeSealedSecret({ ...withValue, values: { password: "hunter2" } })).toMatchObject({
      ok: false,
      status: 422,
    });
    session.principal = { ...developer([]), role: "auditor" };
    expect(await proposeSealedSecret(rotateInput({ password: "AgNEW==" }))).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it("marks a plain-git proposal merged once its branch is on main, with one audit event", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    await proposeSealedSecret(rotateInput({ password: "AgNEWPASSWORD==" }));
    const repositories = [{ id: "default", provider: "plain-git" as const, remote: fixture.remote } as never];
    const providerFor = () =>
      createPlainGitProvider({ remote: fixture.remote, cacheDir: path.join(fixture.root, "cache") });
    expect(await refreshStaleProposals(prisma, { repositories, staleAfterMs: 0, providerFor })).toEqual({
      checked: 1,
      changed: 0,
    });
    await fixture.fastForward("main", "sealdeck/production/db-credentials");
    expect(await refreshStaleProposals(prisma, { repositories, staleAfterMs: 0, providerFor })).toEqual({
      checked: 1,
      changed: 1,
    });
    expect(await refreshStaleProposals(prisma, { repositories, staleAfterMs: 0, providerFor })).toEqual({
      checked: 0,
      changed: 0,
    });
    expect((await prisma.proposal.findFirstOrThrow()).state).toBe("merged");
    const merged = (await auditRows()).filter((e) => e.action === "pull_request.merged");
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ target_keys: ["password"], details: { via: "poll", number: 0 } });

    // The branch is reused for the next change: a new proposal, a new row, the merged one left alone.
    const next = await proposeSealedSecret(rotateInput({ username: "AgNEWUSERNAME==" }));
    expect(next).toMatchObject({ ok: true, data: { created: true } });
    expect((await prisma.proposal.findMany({ orderBy: { createdAt: "asc" } })).map((p) => p.state)).toEqual([
      "merged",
      "open",
    ]);
  });
});
