import { afterEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { session } from "@/lib/testing/fake-session";
import { testPrincipal } from "@/lib/testing/test-principal";
import { secretRoute } from "./secret-route";

// The preamble every route about one secret shares: Sealdeck's grant, the address, and (for the
// record and its events) the cluster's own RBAC, each refusing before the handler runs.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));
const rbac = vi.hoisted(() => ({ allowed: true, asked: [] as unknown[] }));
vi.mock("@/lib/kube/filter-by-kube-rbac", () => ({
  kubeRbacAllows: async (where: unknown) => {
    rbac.asked.push(where);
    return rbac.allowed;
  },
}));

afterEach(() => {
  session.principal = null;
  rbac.allowed = true;
  rbac.asked = [];
});

const developer: Principal = testPrincipal({
  userId: "00000000-0000-4000-8000-000000000001",
  username: "dana",
  displayName: "Dana",
  role: "developer",
  grants: [{ cluster: "prod", namespace: "payments" }],
});

const call = (
  route: ReturnType<typeof secretRoute>,
  params: { cluster: string; namespace: string; kind: string; name: string },
) => route(new Request("http://sealdeck.test/api/secrets/x"), { params: Promise.resolve(params) });

const echo = (options?: { kubeRbac?: boolean }) =>
  secretRoute(async (_request, { address, timing }) => {
    await timing.time("work", () => undefined);
    return Response.json(address, { headers: { "Server-Timing": timing.header() } });
  }, options);

describe("secretRoute", () => {
  it("hands the validated address to the handler, with the RBAC review in Server-Timing", async () => {
    session.principal = developer;
    const response = await call(echo({ kubeRbac: true }), {
      cluster: "prod",
      namespace: "payments",
      kind: "SealedSecret",
      name: "db",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      cluster: "prod",
      namespace: "payments",
      kind: "SealedSecret",
      name: "db",
    });
    expect(response.headers.get("Server-Timing")).toMatch(/^rbac;dur=[\d.]+, work;dur=[\d.]+$/);
    expect(rbac.asked).toEqual([{ cluster: "prod", namespace: "payments", kind: "SealedSecret" }]);
  });

  it("refuses an unknown kind (422), a namespace outside the grants (403) and signed-out users (401)", async () => {
    session.principal = developer;
    const params = { cluster: "prod", namespace: "payments", kind: "ConfigMap", name: "db" };
    expect((await call(echo(), params)).status).toBe(422);
    expect((await call(echo(), { ...params, kind: "SealedSecret", namespace: "other" })).status).toBe(403);
    session.principal = null;
    expect((await call(echo(), { ...params, kind: "SealedSecret" })).status).toBe(401);
  });

  it("asks the cluster's RBAC only when told to, and refuses what it denies", async () => {
    session.principal = developer;
    rbac.allowed = false;
    const params = { cluster: "prod", namespace: "payments", kind: "ExternalSecret", name: "db" };
    const denied = await call(echo({ kubeRbac: true }), params);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: string }).error).toBe(
      "Cluster prod does not allow you to list ExternalSecrets in payments (Kubernetes RBAC).",
    );
    expect((await call(echo(), params)).status).toBe(200);
    expect(rbac.asked).toHaveLength(1);
  });
});
