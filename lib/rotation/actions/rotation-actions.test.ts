import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";

// The rotation policy, waiver and team-mapping actions end to end through the real authorizedAction
// wrapper: validation, the audit event written first in the same transaction, and nothing changed when
// the audit log cannot be written. Who may call them at all is the authorization matrix's job.

vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const person = (role: Principal["role"]) =>
  testPrincipal({ userId: `u-${role}`, username: role, displayName: role, role });

const database = setupMigratedDatabase({ appClient: true });
const { prisma, query } = database;

type EventRow = {
  action: string;
  actor_name: string;
  target_namespace: string | null;
  target_name: string | null;
  target_keys: string[];
  details: Record<string, unknown>;
};
const events = () =>
  query<EventRow>(
    "SELECT action, actor_name, target_namespace, target_name, target_keys, details FROM audit_events ORDER BY seq",
  );
const today = () => new Date().toISOString().slice(0, 10);
const daysAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeEach(async () => {
  session.principal = person("security-lead");
  await prisma.rotationPolicy.deleteMany({});
  await prisma.setting.deleteMany({});
});

describe("saveRotationPolicy and deleteRotationPolicy", () => {
  it("creates, updates and deletes a policy, each audited with the scope and the ages", async () => {
    const { saveRotationPolicy } = await import("./save-rotation-policy");
    const { deleteRotationPolicy } = await import("./delete-rotation-policy");
    const before = (await events()).length;
    const scope = { level: "namespace", cluster: null, namespace: "payments" } as const;
    const created = await saveRotationPolicy({ scope, maxAge: "6w", note: "PCI scope" });
    expect(created).toMatchObject({ ok: true, data: { maxAgeDays: 42 } });
    const id = created.ok ? created.data.id : "";
    expect(await prisma.rotationPolicy.findUniqueOrThrow({ where: { id } })).toMatchObject({
      level: "namespace",
      namespace: "payments",
      cluster: null,
      maxAgeDays: 42,
      note: "PCI scope",
      updatedBy: "security-lead",
    });
    // One policy per scope: a second create for it is refused; editing by id works.
    expect(await saveRotationPolicy({ scope, maxAge: "30d" })).toMatchObject({ ok: false, status: 409 });
    session.principal = person("admin");
    expect(await saveRotationPolicy({ id, scope, maxAge: "30d" })).toMatchObject({
      ok: true,
      data: { id, maxAgeDays: 30 },
    });
    expect(await deleteRotationPolicy({ id })).toMatchObject({ ok: true });
    expect(await prisma.rotationPolicy.count()).toBe(0);
    expect(await deleteRotationPolicy({ id })).toMatchObject({ ok: false, status: 404 });
    const recorded = (await events()).slice(before);
    expect(recorded.map((e) => [e.action, e.actor_name, e.details.maxAgeDays])).toEqual([
      ["rotation.policy.created", "security-lead", 42],
      ["rotation.policy.updated", "admin", 30],
      ["rotation.policy.deleted", "admin", 30],
    ]);
    expect(recorded[1]!.details).toMatchObject({
      policyId: id,
      scope: "Settings → namespace payments on every cluster",
      previousMaxAgeDays: 42,
    });
  });

  it("refuses an invalid max age with a field error", async () => {
    const { saveRotationPolicy } = await import("./save-rotation-policy");
    expect(await saveRotationPolicy({ scope: { level: "global" }, maxAge: "ninety days" })).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { maxAge: expect.any(Array) },
    });
  });

  it("fails closed: no audit event, no policy", async () => {
    const { saveRotationPolicy } = await import("./save-rotation-policy");
    const result = await withAuditLogUnavailable(database, () =>
      saveRotationPolicy({ scope: { level: "global" }, maxAge: "90d" }),
    );
    expect(result).toMatchObject({ ok: false, status: 503 });
    expect(await prisma.rotationPolicy.count()).toBe(0);
  });
});

describe("grantRotationWaiver and revokeRotationWaiver", () => {
  const waiver = {
    cluster: "sandbox",
    namespace: "payments",
    kind: "SealedSecret",
    name: "db",
    key: "password",
    reason: "the vendor issues new credentials in January",
  } as const;

  it("grants until the end of the chosen day, revokes without deleting, audits both", async () => {
    const { grantRotationWaiver } = await import("./grant-rotation-waiver");
    const { revokeRotationWaiver } = await import("./revoke-rotation-waiver");
    const before = (await events()).length;
    const granted = await grantRotationWaiver({ ...waiver, until: today() });
    expect(granted).toMatchObject({ ok: true, data: { until: `${today()}T23:59:59.999Z` } });
    const id = granted.ok ? granted.data.id : "";
    expect(await revokeRotationWaiver({ id })).toMatchObject({ ok: true });
    expect(await revokeRotationWaiver({ id })).toMatchObject({ ok: false, status: 409 });
    expect(await prisma.rotationWaiver.findUniqueOrThrow({ where: { id } })).toMatchObject({
      createdBy: "security-lead",
      revokedBy: "security-lead",
      reason: waiver.reason,
    });
    const recorded = (await events()).slice(before);
    expect(recorded.map((e) => [e.action, e.target_name, e.target_keys])).toEqual([
      ["rotation.waiver.granted", "db", ["password"]],
      ["rotation.waiver.revoked", "db", ["password"]],
    ]);
    expect(recorded[0]!.details).toMatchObject({ waiverId: id, reason: waiver.reason, allKeys: false });
  });

  it("accepts at most a year ahead and nothing in the past", async () => {
    const { grantRotationWaiver } = await import("./grant-rotation-waiver");
    expect(await grantRotationWaiver({ ...waiver, until: daysAhead(-1) })).toMatchObject({
      ok: false,
      status: 422,
      error: "A waiver cannot end in the past.",
    });
    expect(await grantRotationWaiver({ ...waiver, until: daysAhead(400) })).toMatchObject({
      ok: false,
      status: 422,
      error: "A waiver can run at most a year ahead.",
    });
    expect(await grantRotationWaiver({ ...waiver, key: null, until: daysAhead(300) })).toMatchObject({
      ok: true,
    });
    expect(await grantRotationWaiver({ ...waiver, reason: "later", until: today() })).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { reason: expect.any(Array) },
    });
  });

  it("fails closed: no audit event, no waiver, no revocation", async () => {
    const { grantRotationWaiver } = await import("./grant-rotation-waiver");
    const { revokeRotationWaiver } = await import("./revoke-rotation-waiver");
    const count = await prisma.rotationWaiver.count();
    const refused = await withAuditLogUnavailable(database, () =>
      grantRotationWaiver({ ...waiver, until: daysAhead(10) }),
    );
    expect(refused).toMatchObject({ ok: false, status: 503 });
    expect(await prisma.rotationWaiver.count()).toBe(count);
    const granted = await grantRotationWaiver({ ...waiver, until: daysAhead(10) });
    const id = granted.ok ? granted.data.id : "";
    expect(await withAuditLogUnavailable(database, () => revokeRotationWaiver({ id }))).toMatchObject({
      ok: false,
      status: 503,
    });
    expect((await prisma.rotationWaiver.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
  });
});

describe("saveTeamMapping", () => {
  it("stores the namespace → team mapping as a setting, audited as a settings change", async () => {
    const { saveTeamMapping } = await import("./save-team-mapping");
    const mapping = [
      { cluster: null, namespace: "payments", team: "Payments" },
      { cluster: "sandbox", namespace: "shop", team: "Storefront" },
    ];
    expect(await saveTeamMapping({ mapping })).toMatchObject({ ok: true, data: { entries: 2 } });
    expect(
      (await prisma.setting.findUniqueOrThrow({ where: { key: "rotation.team-mapping" } })).value,
    ).toEqual(mapping);
    expect((await events()).at(-1)).toMatchObject({
      action: "settings.changed",
      details: { key: "rotation.team-mapping", added: ["*/payments", "sandbox/shop"], entries: 2 },
    });
    expect(
      await saveTeamMapping({
        mapping: [...mapping, { cluster: null, namespace: "payments", team: "Other" }],
      }),
    ).toMatchObject({ ok: false, status: 422 });
  });

  it("fails closed", async () => {
    const { saveTeamMapping } = await import("./save-team-mapping");
    const result = await withAuditLogUnavailable(database, () =>
      saveTeamMapping({ mapping: [{ cluster: null, namespace: "payments", team: "Payments" }] }),
    );
    expect(result).toMatchObject({ ok: false, status: 503 });
    expect(await prisma.setting.count({ where: { key: "rotation.team-mapping" } })).toBe(0);
  });
});
