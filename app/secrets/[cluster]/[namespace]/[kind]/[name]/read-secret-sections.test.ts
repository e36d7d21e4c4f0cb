import { afterEach, describe, expect, it, vi } from "vitest";
import { testPrincipal } from "@/lib/testing/test-principal";
import { readSecretSections } from "./read-secret-sections";

// The page's server render reads the same bodies the section routes answer with; the timeline only after
// the view is recorded (so it shows it), and a failed read fails its own section only.

const calls = vi.hoisted(() => ({ order: [] as string[], history: [] as unknown[] }));
vi.mock("@/lib/db/prisma", () => ({ getPrismaOrThrow: () => ({ prisma: true }) }));
vi.mock("@/lib/kube/get-secret-events", () => ({
  getSecretEvents: async () => {
    calls.order.push("events");
    return {
      events: [{ reason: "Unsealed", lastSeen: new Date("2026-12-06T01:00:00Z") }],
      eventsError: null,
    };
  },
}));
vi.mock("@/app/api/secrets/[cluster]/[namespace]/[kind]/[name]/history/read-secret-history", () => ({
  readSecretHistory: async (_principal: unknown, address: unknown, page: unknown) => {
    calls.order.push("history");
    calls.history.push({ address, page });
    return { events: [], nextCursor: null };
  },
}));
vi.mock("@/lib/fix-value/list-value-fixes", () => ({
  listValueFixes: async () => {
    calls.order.push("fixes");
    throw new Error("database down");
  },
}));
vi.mock("@/lib/settings/read-gitops-repositories", () => ({
  readGitopsRepositories: async () => {
    throw new Error("no setting");
  },
}));
vi.mock("@/lib/gitops/list-proposals", () => ({
  listProposals: async (_prisma: unknown, _principal: unknown, query: unknown, repositories: unknown) => {
    calls.order.push("proposals");
    return { proposals: [], counts: { open: 0, merged: 0, closed: 0 }, query, repositories };
  },
}));

afterEach(() => {
  calls.order = [];
  calls.history = [];
});

const principal = testPrincipal({
  userId: "00000000-0000-4000-8000-000000000001",
  username: "dana",
  displayName: "Dana",
  role: "developer",
  grants: [{ cluster: "prod", namespace: "payments" }],
});
const address = { cluster: "prod", namespace: "payments", kind: "SealedSecret", name: "db" } as const;

describe("readSecretSections", () => {
  it("reads the timeline only once the view is recorded, and each body as its route sends it", async () => {
    let recorded!: () => void;
    const viewRecorded = new Promise<void>((resolve) => (recorded = resolve));
    const sections = readSecretSections(principal, address, viewRecorded);
    await sections.events;
    await sections.proposals;
    expect(calls.order).not.toContain("history");
    recorded();
    expect(await sections.history).toEqual({ events: [], nextCursor: null });
    expect(calls.history).toEqual([{ address, page: { limit: 20 } }]);
    // JSON as the route answers: dates as strings.
    expect(await sections.events).toEqual({
      events: [{ reason: "Unsealed", lastSeen: "2026-12-06T01:00:00.000Z" }],
      eventsError: null,
    });
    expect(await sections.proposals).toMatchObject({
      query: { cluster: "prod", namespace: "payments", name: "db", limit: 200 },
      repositories: [],
    });
  });

  it("fails one section alone, and reads nothing it would not show when the view is not recorded", async () => {
    const refused = Promise.reject(new Error("audit log unavailable"));
    const sections = readSecretSections(principal, { ...address, kind: "ExternalSecret" }, refused);
    expect(sections.proposals).toBeNull();
    await expect(sections.fixes).rejects.toThrow("database down");
    await expect(sections.history).rejects.toThrow("audit log unavailable");
    expect(calls.order).not.toContain("history");
    expect(await sections.events).toMatchObject({ eventsError: null });
  });
});
