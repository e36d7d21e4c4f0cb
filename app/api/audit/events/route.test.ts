import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Principal } from "@/lib/auth/principal";
import * as history from "@/app/api/secrets/[cluster]/[namespace]/[kind]/[name]/history/route";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { AuditEventsResponse } from "@/lib/validations/audit-query";
import * as events from "./route";

// The read routes over a real Postgres: the Audit page's list (query validation, filters, cursor) and a
// secret's history, which a developer with the namespace sees without the actors' addresses.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const person = (role: Principal["role"], grants: Principal["grants"] = []): Principal =>
  testPrincipal({ userId: `u-${role}`, username: role, displayName: role, role, grants });
const auditor = person("auditor");
const developer = person("developer", [{ cluster: "sandbox", namespace: "payments" }]);

const globals = globalThis as unknown as { sealdeckAuditPool?: pg.Pool };

describe("audit read routes", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 2 });

  beforeAll(async () => {
    globals.sealdeckAuditPool = pool;
    for (let i = 0; i < 250; i++) {
      await appendAuditEvent(pool, {
        actor: { userId: "u-ada", name: "ada", role: "developer", ip: "10.1.2.3", userAgent: "Firefox" },
        action: i % 2 ? "secret.viewed" : "seal.requested",
        target: {
          cluster: "sandbox",
          namespace: i % 5 ? "payments" : "web",
          kind: "SealedSecret",
          name: "db",
        },
        outcome: "success",
      });
    }
  });
  afterAll(() => {
    delete globals.sealdeckAuditPool;
  });

  const list = (query: string) => events.GET(new Request(`http://sealdeck.test/api/audit/events?${query}`));
  const secretHistory = (namespace: string, query = "") =>
    history.GET(
      new Request(`http://sealdeck.test/api/secrets/sandbox/${namespace}/SealedSecret/db/history?${query}`),
      {
        params: Promise.resolve({ cluster: "sandbox", namespace, kind: "SealedSecret", name: "db" }),
      },
    );

  it("lists newest first, 100 a page by default and at most 200, following the cursor", async () => {
    session.principal = auditor;
    const first = (await (await list("")).json()) as AuditEventsResponse;
    expect(first.events).toHaveLength(100);
    expect(first.events[0]!.seq).toBe("250");
    const second = (await (await list(`cursor=${first.nextCursor}&limit=200`)).json()) as AuditEventsResponse;
    expect(second.events.map((e) => Number(e.seq))).toEqual(Array.from({ length: 150 }, (_, i) => 150 - i));
    expect(second.nextCursor).toBeNull();
    // Cleared fields in a shared URL count as absent.
    const filtered = (await (
      await list("action=seal&namespace=web&actor=&text=")
    ).json()) as AuditEventsResponse;
    expect(filtered.events.every((e) => e.action === "seal.requested" && e.target.namespace === "web")).toBe(
      true,
    );
    expect(filtered.events).toHaveLength(25);
  });

  it("answers an invalid query with 422 and what is wrong", async () => {
    session.principal = auditor;
    for (const query of [
      "limit=201",
      "limit=0",
      "cursor=abc",
      "outcome=maybe",
      "from=yesterday",
      "unknown=1",
    ]) {
      const response = await list(query);
      expect(response.status, query).toBe(422);
      expect(((await response.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    }
  });

  it("shows a developer the history of a secret in a granted namespace, without addresses; not elsewhere", async () => {
    session.principal = developer;
    const response = await secretHistory("payments", "limit=5");
    expect(response.status).toBe(200);
    const page = (await response.json()) as AuditEventsResponse;
    expect(page.events).toHaveLength(5);
    expect(page.nextCursor).toBe(page.events[4]!.seq);
    expect(page.events.every((e) => e.target.namespace === "payments")).toBe(true);
    expect(page.events[0]!.actor).toEqual({
      userId: "u-ada",
      name: "ada",
      role: "developer",
      ip: null,
      userAgent: null,
    });
    expect((await secretHistory("web")).status).toBe(403);
    expect((await list("")).status).toBe(403);

    session.principal = auditor;
    const full = (await (await secretHistory("web")).json()) as AuditEventsResponse;
    expect(full.events).toHaveLength(20);
    expect(full.events[0]!.actor.ip).toBe("10.1.2.3");
    expect((await secretHistory("payments", "limit=500")).status).toBe(422);
  });
});
