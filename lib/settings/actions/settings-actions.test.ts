import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";
import type { ClusterWarning, ControllerInfo } from "@/lib/validations/cluster-status";

// The settings actions end to end as an admin or a security lead, through the real authorizedAction
// wrapper (who may call which is the authorization matrix's job): validation, audit first, rollback.

vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));
vi.mock("@/lib/kube/load-cluster-registry", () => ({
  loadClusterRegistry: () => [{ name: "prod-eu", server: "https://prod.example", sandbox: false }],
}));

const fingerprint = "a".repeat(64);
const fakeCache = vi.hoisted(() => ({
  forgotten: 0,
  controller: null as ControllerInfo | null,
  warnings: [] as ClusterWarning[],
  forgetController() {
    this.forgotten += 1;
  },
}));
vi.mock("@/lib/kube/inventory", () => ({
  getInventory: () => ({ cluster: (name: string) => (name === "prod-eu" ? fakeCache : undefined) }),
}));

const person = (role: Principal["role"]) =>
  testPrincipal({ userId: `u-${role}`, username: role, displayName: role, role });

const database = setupMigratedDatabase({ appClient: true });
const { prisma, query } = database;
const lastEvent = async () =>
  (
    await query<{ action: string; details: Record<string, unknown>; target_cluster: string | null }>(
      "SELECT action, details, target_cluster FROM audit_events ORDER BY seq DESC LIMIT 1",
    )
  )[0];

beforeEach(async () => {
  session.principal = person("admin");
  await prisma.setting.deleteMany({});
});

describe("saveClusterSettings", () => {
  it("names a known cluster, updates what the inventory shows, and re-discovers a changed controller", async () => {
    const { saveClusterSettings } = await import("./save-cluster-settings");
    const { clusterPresentation } = await import("../read-cluster-settings");
    expect(await saveClusterSettings({ cluster: "nowhere", displayName: "X" })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(
      await saveClusterSettings({
        cluster: "prod-eu",
        displayName: "x".repeat(81),
        environment: "production",
      }),
    ).toMatchObject({ ok: false, status: 422, fieldErrors: { displayName: expect.any(Array) } });
    const forgotten = fakeCache.forgotten;
    expect(
      await saveClusterSettings({
        cluster: "prod-eu",
        displayName: "Production EU",
        environment: "production",
        controller: { mode: "service", namespace: "sealing", service: "sealed-secrets", port: "8080" },
      }),
    ).toMatchObject({ ok: true });
    expect(clusterPresentation("prod-eu")).toEqual({
      displayName: "Production EU",
      environment: "production",
    });
    expect(fakeCache.forgotten).toBe(forgotten + 1);
    expect(await lastEvent()).toMatchObject({
      action: "settings.changed",
      details: {
        key: "clusters",
        cluster: "prod-eu",
        changed: ["displayName", "environment", "controller"],
        controller: "service",
      },
    });
    const { readSealingControllerOverride } = await import("../read-cluster-settings");
    expect(await readSealingControllerOverride("prod-eu")).toEqual({
      mode: "service",
      namespace: "sealing",
      service: "sealed-secrets",
      port: "8080",
    });
  });

  it("changes nothing when the audit event cannot be written", async () => {
    const { saveClusterSettings } = await import("./save-cluster-settings");
    await saveClusterSettings({ cluster: "prod-eu", displayName: "Before" });
    await withAuditLogUnavailable(database, async () => {
      expect(await saveClusterSettings({ cluster: "prod-eu", displayName: "After" })).toMatchObject({
        ok: false,
        status: 503,
      });
    });
    const row = await prisma.setting.findUniqueOrThrow({ where: { key: "clusters" } });
    expect(row.value).toMatchObject({ "prod-eu": { displayName: "Before" } });
  });
});

describe("a pinned sealing certificate", () => {
  const seed = readFileSync(
    join(import.meta.dirname, "../../../sandbox/seed/05-sealing-key-backup.yaml"),
    "utf8",
  );
  const pem = Buffer.from(/tls\.crt: (\S+)/.exec(seed)![1]!, "base64").toString("utf8");

  it("must be a usable certificate, and is then what the controller's certificate reads as", async () => {
    const { saveClusterSettings } = await import("./save-cluster-settings");
    const { fetchControllerCertificate } = await import("@/lib/kube/fetch-controller-certificate");
    expect(
      await saveClusterSettings({ cluster: "prod-eu", pinnedCertificatePem: "not a certificate" }),
    ).toMatchObject({ ok: false, status: 422, fieldErrors: { pinnedCertificatePem: expect.any(Array) } });
    const garbled = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
    expect(await saveClusterSettings({ cluster: "prod-eu", pinnedCertificatePem: garbled })).toMatchObject({
      ok: false,
      status: 422,
      error: expect.stringMatching(/^The pinned certificate cannot be used/),
    });
    expect(await prisma.setting.count()).toBe(0);
    expect(await saveClusterSettings({ cluster: "prod-eu", pinnedCertificatePem: pem })).toMatchObject({
      ok: true,
    });
    const event = await lastEvent();
    expect(event?.details).toMatchObject({
      pinnedCertificateFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(event)).not.toContain("BEGIN CERTIFICATE");
    // No request reaches a cluster: the kubeconfig is never used.
    const fetched = await fetchControllerCertificate({} as never, "prod-eu", {
      namespace: "kube-system",
      service: "sealed-secrets-controller",
      port: "http",
    });
    expect(fetched.pem).toBe(pem.trim());
    expect(fetched.info.fingerprintSha256).toBe(
      (event?.details as { pinnedCertificateFingerprint: string }).pinnedCertificateFingerprint,
    );
  });
});

describe("saveRepositories", () => {
  it("accepts environment variable names only and audits ids, never the variables", async () => {
    const { saveRepositories } = await import("./save-repositories");
    expect(
      await saveRepositories({
        repositories: [
          {
            provider: "github",
            repository: "acme/gitops",
            auth: { type: "token", tokenEnv: "ghp_0123456789" },
          },
        ],
      }),
    ).toMatchObject({ ok: false, status: 422 });
    expect(await prisma.setting.count()).toBe(0);
    const repo = {
      id: "acme",
      provider: "github",
      repository: "acme/gitops",
      auth: {
        type: "github-app",
        appId: "12",
        installationId: 34,
        privateKeyEnv: "SEALDECK_GIT_ACME_APP_KEY",
      },
      labels: ["secrets"],
    };
    expect(await saveRepositories({ repositories: [repo] })).toMatchObject({ ok: true, data: { count: 1 } });
    const event = await lastEvent();
    expect(event?.details).toEqual({
      key: "gitops.repositories",
      reset: false,
      added: ["acme"],
      removed: [],
      changed: [],
      count: 1,
    });
    expect(JSON.stringify(event)).not.toContain("ACME_APP_KEY");
    const { readGitopsRepositories } = await import("../read-gitops-repositories");
    expect(await readGitopsRepositories()).toMatchObject([
      {
        id: "acme",
        auth: { type: "github-app", appId: 12, privateKeyEnv: "SEALDECK_GIT_ACME_APP_KEY" },
        baseBranch: "main",
      },
    ]);
    expect(await saveRepositories({ repositories: null })).toMatchObject({ ok: true });
    expect(await readGitopsRepositories()).toMatchObject([{ provider: "plain-git", id: "default" }]);
    expect((await lastEvent())?.details).toMatchObject({ reset: true, removed: ["acme"] });
  });
});

describe("saveRepositories: credentials and hosts", () => {
  const github = (extra: Record<string, unknown>) => ({
    id: "forge",
    provider: "github",
    repository: "acme/gitops",
    auth: { type: "token", tokenEnv: "SEALDECK_GIT_GITHUB_TOKEN" },
    ...extra,
  });

  it("refuses a credential variable outside SEALDECK_GIT_, naming the rule", async () => {
    const { saveRepositories } = await import("./save-repositories");
    for (const tokenEnv of ["DATABASE_URL", "NEXTAUTH_SECRET"]) {
      const result = await saveRepositories({
        repositories: [github({ auth: { type: "token", tokenEnv } })],
      });
      expect(result).toMatchObject({
        ok: false,
        status: 422,
        fieldErrors: {
          repositories: [expect.stringContaining("must start with SEALDECK_GIT_")],
        },
      });
    }
    expect(await prisma.setting.count()).toBe(0);
  });

  it("refuses a host the operator has not allowed, and accepts one listed in SEALDECK_GIT_ALLOWED_HOSTS", async () => {
    const { saveRepositories } = await import("./save-repositories");
    const { getEnv } = await import("@/lib/config/env");
    const env = getEnv();
    const before = await query("SELECT 1 FROM audit_events");
    const elsewhere = await saveRepositories({
      repositories: [github({ baseUrl: "https://attacker.example/api/v3" })],
    });
    expect(elsewhere).toMatchObject({ ok: false, status: 422 });
    expect(elsewhere.ok ? "" : elsewhere.error).toMatch(
      /^Not saved: repository forge \(baseUrl\) uses the Git host attacker\.example, which is not allowed/,
    );
    expect(await prisma.setting.count()).toBe(0);
    expect(await query("SELECT 1 FROM audit_events")).toHaveLength(before.length);
    expect(await saveRepositories({ repositories: [github({})] })).toMatchObject({ ok: true });

    const saved = env.SEALDECK_GIT_ALLOWED_HOSTS;
    env.SEALDECK_GIT_ALLOWED_HOSTS = ["ghe.example.com"];
    try {
      expect(
        await saveRepositories({ repositories: [github({ baseUrl: "https://ghe.example.com/api/v3" })] }),
      ).toMatchObject({ ok: true });
      expect(await saveRepositories({ repositories: [github({})] })).toMatchObject({
        ok: false,
        error: expect.stringContaining("api.github.com, which is not in SEALDECK_GIT_ALLOWED_HOSTS"),
      });
    } finally {
      env.SEALDECK_GIT_ALLOWED_HOSTS = saved;
    }
  });

  it("reports a stored row that names another variable as unusable, without using it", async () => {
    await prisma.setting.create({
      data: {
        key: "gitops.repositories",
        value: [github({ auth: { type: "token", tokenEnv: "DATABASE_URL" } })],
      },
    });
    const { readGitopsRepositories } = await import("../read-gitops-repositories");
    await expect(readGitopsRepositories()).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringMatching(/0\.auth\.tokenEnv: must start with SEALDECK_GIT_/),
    });
  });
});

describe("saveGroupMapping and saveAuditRetention", () => {
  it("validate their input and store it", async () => {
    const { saveGroupMapping } = await import("./save-group-mapping");
    const { saveAuditRetention } = await import("./save-audit-retention");
    expect(
      await saveGroupMapping({
        mapping: [
          { group: "ops", role: "admin" },
          { group: "ops", role: "auditor" },
        ],
      }),
    ).toMatchObject({ ok: false, status: 422 });
    expect(await saveGroupMapping({ mapping: [{ group: "ops", role: "root" }] })).toMatchObject({
      status: 422,
    });
    expect(
      await saveGroupMapping({
        mapping: [{ group: "ops", role: "security-lead", grants: [{ cluster: "*", namespace: "payments" }] }],
      }),
    ).toMatchObject({ ok: true });
    expect((await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } })).value).toEqual([
      { group: "ops", role: "security-lead", grants: [{ cluster: "*", namespace: "payments" }] },
    ]);
    expect(await saveAuditRetention({ days: 29 })).toMatchObject({ ok: false, status: 422 });
    expect(await saveAuditRetention({ days: 90.5 })).toMatchObject({ ok: false, status: 422 });
    expect(await saveAuditRetention({ days: 400 })).toMatchObject({ ok: true });
    expect(await saveAuditRetention({ days: null })).toMatchObject({ ok: true });
    expect(await prisma.setting.count({ where: { key: "audit.retention-days" } })).toBe(0);
    expect((await lastEvent())?.details).toEqual({
      key: "audit.retention-days",
      reset: true,
      from: 400,
      to: null,
    });
  });
});

describe("acknowledgeKeyBackup", () => {
  beforeEach(() => {
    session.principal = person("security-lead");
    fakeCache.controller = {
      namespace: "kube-system",
      service: "sealed-secrets-controller",
      port: "http",
      certificate: {
        fingerprintSha256: fingerprint,
        publicKeySha256: "b".repeat(64),
        notAfter: "2035-01-01T00:00:00.000Z",
        expired: false,
        modulusBits: 4096,
      },
      error: null,
      keys: [
        { name: "sealed-secrets-key-old", createdAt: null, active: true },
        { name: "sealed-secrets-key-new", createdAt: null, active: true },
      ],
    };
    fakeCache.warnings = [
      { cluster: "prod-eu", code: "new-key", message: "New sealing key sealed-secrets-key-new …" },
    ];
  });

  it("refuses and keeps the warning when the audit event cannot be written", async () => {
    const { acknowledgeKeyBackup } = await import("./acknowledge-key-backup");
    await withAuditLogUnavailable(database, async () => {
      expect(await acknowledgeKeyBackup({ cluster: "prod-eu" })).toMatchObject({ ok: false, status: 503 });
    });
    expect(fakeCache.warnings).toHaveLength(1);
    expect(await prisma.setting.count()).toBe(0);
  });

  it("records the acknowledgement, remembers the keys and clears the warning", async () => {
    const { acknowledgeKeyBackup } = await import("./acknowledge-key-backup");
    await prisma.setting.create({
      data: {
        key: "kube.sealing-controller.prod-eu",
        value: {
          acknowledgedFingerprint: "c".repeat(64),
          acknowledgedKeys: ["sealed-secrets-key-old"],
          seenPublicKeys: ["k"],
        },
      },
    });
    expect(await acknowledgeKeyBackup({ cluster: "nowhere" })).toMatchObject({ ok: false, status: 404 });
    expect(await acknowledgeKeyBackup({ cluster: "prod-eu" })).toMatchObject({ ok: true });
    expect(fakeCache.warnings).toEqual([]);
    const memory = await prisma.setting.findUniqueOrThrow({
      where: { key: "kube.sealing-controller.prod-eu" },
    });
    expect(memory.value).toEqual({
      acknowledgedFingerprint: fingerprint,
      acknowledgedKeys: ["sealed-secrets-key-old", "sealed-secrets-key-new"],
      seenPublicKeys: ["k"],
    });
    expect(await lastEvent()).toMatchObject({
      action: "sealing_key.backup_acknowledged",
      target_cluster: "prod-eu",
      details: { certificateFingerprint: fingerprint, newlyAcknowledgedKeys: ["sealed-secrets-key-new"] },
    });
  });
});
