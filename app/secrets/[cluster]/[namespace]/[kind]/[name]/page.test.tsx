import type { ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SecretSections } from "@/components/secrets/seed-secret-sections";
import { testPrincipal } from "@/lib/testing/test-principal";
import SecretPage from "./page";

// The secret page streams its sections only for a record the viewer may see, and only behind the view's
// audit event: when that cannot be written the page fails (fail closed) and no section is sent.

const state = vi.hoisted(() => ({
  recordView: async (): Promise<unknown> => null,
  detail: null as unknown,
  sectionsFor: [] as unknown[],
}));
const principal = testPrincipal({
  userId: "00000000-0000-4000-8000-000000000001",
  username: "dana",
  displayName: "Dana",
  role: "developer",
  grants: [{ cluster: "prod", namespace: "payments" }],
});
vi.mock("@/lib/auth/guard-page", () => ({ guardPage: async () => ({ allowed: true, principal }) }));
vi.mock("@/lib/audit/record-secret-view", () => ({ recordSecretView: () => state.recordView() }));
vi.mock("@/lib/kube/get-visible-secret-detail", () => ({ getVisibleSecretDetail: async () => state.detail }));
vi.mock("./read-secret-sections", () => ({
  readSecretSections: (_principal: unknown, address: unknown) => {
    state.sectionsFor.push(address);
    return { events: Promise.resolve({ events: [], eventsError: null }) } as unknown as SecretSections;
  },
}));

afterEach(() => {
  state.recordView = async () => null;
  state.detail = null;
  state.sectionsFor = [];
});

const params = { cluster: "prod", namespace: "payments", kind: "SealedSecret", name: "db" };
const render = async () =>
  (await SecretPage({ params: Promise.resolve(params) })) as ReactElement<{ sections?: SecretSections }>;

describe("the secret page", () => {
  it("hands the view the sections' reads with the record", async () => {
    state.detail = { record: { name: "db" }, cluster: null };
    const page = await render();
    expect(state.sectionsFor).toEqual([params]);
    expect(page.props.sections).toBeDefined();
  });

  it("reads no section for a record the viewer may not see (the client asks the API, which says why)", async () => {
    const page = await render();
    expect(state.sectionsFor).toEqual([]);
    expect(page.props.sections).toBeUndefined();
  });

  it("sends nothing when the view cannot be recorded", async () => {
    state.detail = { record: { name: "db" }, cluster: null };
    state.recordView = async () => {
      throw new Error("audit log unavailable");
    };
    await expect(render()).rejects.toThrow("audit log unavailable");
  });
});
