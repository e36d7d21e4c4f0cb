import { describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";
import { runAuditedClusterAction } from "./run-audited-cluster-action";

// Invariant 3: the audit event is written before the action, and no audit means no action.

// getPrismaOrThrow keeps its client on globalThis; this file's database is the one it must use.
const database = setupMigratedDatabase({ appClient: true });
const { query } = database;
const principal = testPrincipal({
  userId: "u-1",
  username: "sam",
  displayName: "Sam",
  role: "security-lead",
});
const target = {
  cluster: "sandbox",
  namespace: "production",
  kind: "ExternalSecret",
  name: "stripe-credentials",
};

describe("runAuditedClusterAction", () => {
  it("records the request before acting and the outcome after", async () => {
    const order: string[] = [];
    const result = await runAuditedClusterAction(
      principal,
      "secret.force_sync",
      target,
      async () => {
        const rows = await query<{ action: string }>("SELECT action FROM audit_events ORDER BY seq");
        order.push(...rows.map((r) => r.action), "performed");
        return "1893456000";
      },
      (value) => ({ annotation: value }),
    );
    expect(result).toBe("1893456000");
    expect(order).toEqual(["secret.force_sync.requested", "performed"]);
    const rows = await query<{ action: string; outcome: string; actor_name: string; target_name: string }>(
      "SELECT action, outcome, actor_name, target_name FROM audit_events ORDER BY seq",
    );
    expect(rows).toEqual([
      {
        action: "secret.force_sync.requested",
        outcome: "pending",
        actor_name: "sam",
        target_name: "stripe-credentials",
      },
      {
        action: "secret.force_sync",
        outcome: "success",
        actor_name: "sam",
        target_name: "stripe-credentials",
      },
    ]);
  });

  it("records the acting request's address and user agent on the request and its outcome", async () => {
    const browser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";
    await runAuditedClusterAction(
      { ...principal, client: { ip: "203.0.113.7", userAgent: browser } },
      "secret.validate",
      target,
      () => Promise.resolve(true),
      () => ({}),
    );
    const rows = await query<{ action: string; actor_ip: string; actor_user_agent: string }>(
      "SELECT action, actor_ip, actor_user_agent FROM audit_events WHERE action LIKE 'secret.validate%' ORDER BY seq",
    );
    expect(rows).toEqual([
      { action: "secret.validate.requested", actor_ip: "203.0.113.7", actor_user_agent: browser },
      { action: "secret.validate", actor_ip: "203.0.113.7", actor_user_agent: browser },
    ]);
  });

  it("records a failed action as a failure and rethrows", async () => {
    await expect(
      runAuditedClusterAction(
        principal,
        "consumer.restart",
        target,
        () => Promise.reject(new Error("forbidden by RBAC")),
        () => ({}),
      ),
    ).rejects.toThrow("forbidden by RBAC");
    const rows = await query<{ outcome: string }>(
      "SELECT outcome FROM audit_events WHERE action = 'consumer.restart'",
    );
    expect(rows).toEqual([{ outcome: "failure" }]);
  });

  it("refuses the action when the audit event cannot be written", async () => {
    let performed = false;
    await withAuditLogUnavailable(database, () =>
      expect(
        runAuditedClusterAction(
          principal,
          "secret.force_sync",
          target,
          async () => {
            performed = true;
          },
          () => ({}),
        ),
      ).rejects.toMatchObject({ code: "unavailable" }),
    );
    expect(performed).toBe(false);
  });
});
