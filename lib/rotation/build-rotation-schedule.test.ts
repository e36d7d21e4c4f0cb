import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { observeValues } from "@/lib/audit/observe-rotations";
import { createTestSigningKey } from "@/lib/audit/testing/test-signing-key";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";
import { gitopsRepositorySchema } from "@/lib/validations/gitops";
import type { RotationRow } from "@/lib/validations/rotation";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { buildRotationSchedule } from "./build-rotation-schedule";
import { DAY_MS } from "./compute-rotation-schedule";
import { ROTATION_REPORT_COLUMNS } from "./format-rotation-report";
import { readGitKeyChanges } from "./read-git-key-changes";
import { readRotationReportManifest } from "./read-rotation-report-manifest";
import { verifyRotationReport } from "./rotation-report-manifest";
import { startRotationReport } from "./stream-rotation-report";
import { testSecretRecord } from "@/lib/testing/test-secret-record";

// The evidence sources as the database holds them (observed rotations recorded by the real
// observeValues, a merged proposal, the git backfill's table), merged into the schedule; then the
// signed report of that schedule, verified against its manifest.

const database = setupMigratedDatabase({ appClient: true });
const { prisma, pool } = database;

const hash = (text: string) => createHash("sha256").update(text).digest("hex");
const repository = gitopsRepositorySchema.parse({
  provider: "plain-git",
  id: "gitops",
  remote: "/tmp/gitops",
});

function record(name: string, overrides: Partial<SecretRecord> = {}): SecretRecord {
  return testSecretRecord(name, "Healthy", {
    cluster: "sandbox",
    namespace: "payments",
    createdAt: "2025-01-01T00:00:00.000Z",
    rotationAnnotations: {},
    keys: [],
    health: { status: "Healthy", reason: "Synced", message: null },
    ...overrides,
  });
}

const records = [
  record("db", {
    keys: ["apikey", "password", "tls", "username"],
    rotationAnnotations: { "sealdeck.io/owner": '=HYPERLINK("http://evil.example","x")' },
  }),
  record("api", { kind: "ExternalSecret", keys: ["token"] }),
];

async function seedEvidence() {
  const sealed = {
    cluster: "sandbox",
    kind: "SealedSecret",
    namespace: "payments",
    name: "db",
    key: "password",
  } as const;
  const external = {
    cluster: "sandbox",
    kind: "ExternalSecret",
    namespace: "payments",
    name: "api",
    key: "",
  } as const;
  await observeValues(prisma, [
    { ...sealed, valueHash: hash("v1") },
    { ...external, valueHash: hash("e1") },
  ]);
  // The pull request that rotates the password, merged before the watcher sees the new ciphertext.
  await prisma.proposal.create({
    data: {
      repository: "gitops",
      provider: "github",
      number: 7,
      url: "https://github.com/acme/gitops/pull/7",
      branch: "sealdeck/payments/db-password",
      baseBranch: "main",
      headSha: "a".repeat(40),
      state: "merged",
      stateCheckedAt: new Date(Date.now() - 60_000),
      title: "Rotate payments/db: password",
      namespace: "payments",
      name: "db",
      clusters: ["sandbox"],
      keys: ["password"],
      requestedByName: "lead",
    },
  });
  await prisma.proposal.create({
    data: {
      repository: "gitops",
      provider: "github",
      number: 5,
      url: "https://github.com/acme/gitops/pull/5",
      branch: "sealdeck/payments/db-username",
      baseBranch: "main",
      headSha: "b".repeat(40),
      state: "merged",
      stateCheckedAt: new Date("2026-10-01T10:00:00.000Z"),
      title: "Rotate payments/db: username",
      namespace: "payments",
      name: "db",
      clusters: ["sandbox"],
      keys: ["username"],
      requestedByName: "alice",
    },
  });
  await observeValues(prisma, [
    { ...sealed, valueHash: hash("v2") },
    { ...external, valueHash: hash("e2") },
  ]);
  await prisma.gitKeyChange.create({
    data: {
      repository: "gitops",
      branch: "main",
      path: "sandbox/payments/db.sealedsecret.yaml",
      namespace: "payments",
      name: "db",
      key: "apikey",
      commit: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
      committedAt: new Date("2026-06-15T08:30:00.000Z"),
      author: "Bob",
      valueHash: hash("git"),
    },
  });
}

const schedule = () =>
  buildRotationSchedule({
    db: prisma,
    records,
    readGitChanges: () => readGitKeyChanges({ db: prisma, repositories: [repository] }),
  });

describe("buildRotationSchedule on the database's evidence", () => {
  it("dates each key by its best evidence: observed (linked to its PR), merged PR, git commit, ESO sync, creation", async () => {
    await seedEvidence();
    const built = await schedule();
    const row = (id: string) => built.entries.find((e) => e.row.id === id)!.row;
    const observed = row("sandbox/payments/SealedSecret/db#password");
    expect(observed.evidence).toMatchObject({
      kind: "observed",
      description: "new ciphertext seen in the cluster from pull request #7",
      url: "https://github.com/acme/gitops/pull/7",
    });
    expect(Date.now() - Date.parse(observed.lastRotatedAt!)).toBeLessThan(DAY_MS);
    expect(observed.status).toBe("compliant");
    expect(row("sandbox/payments/SealedSecret/db#username")).toMatchObject({
      lastRotatedAt: "2026-10-01T10:00:00.000Z",
      evidence: { kind: "pull-request", url: "https://github.com/acme/gitops/pull/5" },
      dueAt: "2026-12-30T10:00:00.000Z",
    });
    expect(row("sandbox/payments/SealedSecret/db#apikey")).toMatchObject({
      lastRotatedAt: "2026-06-15T08:30:00.000Z",
      lastRotatedIsLowerBound: false,
      evidence: {
        kind: "git-commit",
        description: "commit 1a2b3c4 in gitops by Bob (sandbox/payments/db.sealedsecret.yaml)",
      },
    });
    expect(row("sandbox/payments/SealedSecret/db#tls")).toMatchObject({
      lastRotatedAt: "2025-01-01T00:00:00.000Z",
      lastRotatedIsLowerBound: true,
      evidence: { kind: "created" },
      status: "overdue",
    });
    expect(row("sandbox/payments/ExternalSecret/api#").evidence).toMatchObject({ kind: "external-sync" });
  });

  it("applies stored policies, waivers and the team mapping", async () => {
    await prisma.rotationPolicy.create({
      data: {
        level: "key",
        scopeKey: "k",
        cluster: null,
        namespace: "payments",
        kind: "SealedSecret",
        name: "db",
        key: "apikey",
        maxAgeDays: 365,
        updatedBy: "lead",
      },
    });
    await prisma.rotationWaiver.create({
      data: {
        cluster: "sandbox",
        namespace: "payments",
        kind: "SealedSecret",
        name: "db",
        key: "tls",
        until: new Date(Date.now() + 10 * DAY_MS),
        reason: "certificate renewal scheduled",
        createdBy: "lead",
      },
    });
    await prisma.setting.create({
      data: {
        key: "rotation.team-mapping",
        value: [{ cluster: null, namespace: "payments", team: "Payments" }],
      },
    });
    const built = await schedule();
    const row = (id: string) => built.entries.find((e) => e.row.id === id)!.row;
    expect(row("sandbox/payments/SealedSecret/db#apikey").policy).toMatchObject({
      maxAgeDays: 365,
      level: "key",
    });
    expect(row("sandbox/payments/SealedSecret/db#tls")).toMatchObject({
      status: "waived",
      waiver: { reason: "certificate renewal scheduled" },
    });
    expect(row("sandbox/payments/ExternalSecret/api#").owner).toEqual({
      team: "Payments",
      source: "namespace-mapping",
    });
  });
});

describe("the rotation report", () => {
  const key = createTestSigningKey();
  const principal = testPrincipal({
    userId: "u-auditor",
    username: "auditor",
    displayName: "A",
    role: "auditor",
  });

  async function download(format: "csv" | "json") {
    const started = await startRotationReport({
      pool,
      key,
      principal,
      client: { ip: "203.0.113.9", userAgent: "vitest" },
      schedule: await schedule(),
      visible: null,
      filter: { namespace: "payments" },
      format,
    });
    const file = Buffer.from(await new Response(started.stream).arrayBuffer());
    const manifest = await started.done;
    return { started, file, manifest: manifest! };
  }

  it("streams every row, and the file verifies with its signed manifest (and stops verifying when changed)", async () => {
    const { started, file, manifest } = await download("csv");
    expect(manifest).toMatchObject({ count: 5, format: "csv", filters: { namespace: "payments" } });
    expect(verifyRotationReport(file, manifest, key.publicKeyPem)).toEqual({ ok: true });
    const lines = file.toString("utf8").trimEnd().split("\n");
    expect(lines[0]).toBe(ROTATION_REPORT_COLUMNS.join(","));
    expect(lines).toHaveLength(6);
    // The owner annotation would be a formula in a spreadsheet: neutralised.
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    const tampered = Buffer.from(file.toString("utf8").replace("payments", "paymentz"));
    expect(verifyRotationReport(tampered, manifest, key.publicKeyPem)).toMatchObject({ ok: false });
    expect(verifyRotationReport(file, { ...manifest, count: 4 }, key.publicKeyPem)).toEqual({
      ok: false,
      reason: "the manifest signature does not verify",
    });
    expect(verifyRotationReport(file, manifest, createTestSigningKey().publicKeyPem)).toMatchObject({
      ok: false,
    });
    // Recorded before and after; the manifest can be read back by its owner only.
    expect(await readRotationReportManifest(pool, started.reportId, "u-auditor")).toEqual(manifest);
    expect(await readRotationReportManifest(pool, started.reportId, "someone-else")).toBeNull();
    const { rows } = await pool.query<{ outcome: string; actor_ip: string }>(
      "SELECT outcome, actor_ip FROM audit_events WHERE action = 'rotation.report.exported' AND details->>'reportId' = $1 ORDER BY seq",
      [started.reportId],
    );
    expect(rows).toEqual([
      { outcome: "pending", actor_ip: "203.0.113.9" },
      { outcome: "success", actor_ip: "203.0.113.9" },
    ]);
  });

  it("as JSON holds the same RotationRow objects as the schedule", async () => {
    const { file, manifest } = await download("json");
    expect(verifyRotationReport(file, manifest)).toEqual({ ok: true });
    const rows = JSON.parse(file.toString("utf8")) as RotationRow[];
    const expected = (await schedule()).entries.map((e) => e.row);
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(rows.find((r) => r.key === "tls")).toEqual(expected.find((r) => r.key === "tls"));
  });

  it("is refused when its download cannot be recorded", async () => {
    const built = await schedule();
    await expect(
      withAuditLogUnavailable(database, () =>
        startRotationReport({
          pool,
          key,
          principal,
          client: { ip: null, userAgent: null },
          schedule: built,
          visible: null,
          filter: {},
          format: "csv",
        }),
      ),
    ).rejects.toThrow(/audit/);
  });
});
