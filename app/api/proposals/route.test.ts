import { beforeEach, describe, expect, it, vi } from "vitest";

import type { Principal } from "@/lib/auth/principal";
import { refreshStaleProposals } from "@/lib/gitops/refresh-proposal-states";
import { runGit } from "@/lib/gitops/run-git";
import { createGitFixture } from "@/lib/gitops/testing/git-fixture";
import { removeProviderCache } from "@/lib/gitops/testing/provider-cache-dir";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { ProposalListResponse } from "@/lib/validations/proposal-list";

// GET /api/proposals: what each user may see (granted namespaces for developers, as on /secrets), the
// state filter and counts, one secret's proposals, and the refresh its polling drives.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const { prisma } = setupMigratedDatabase({ appClient: true });

const user = (role: Principal["role"], grants: Principal["grants"] = []): Principal =>
  testPrincipal({
    userId: "00000000-0000-4000-8000-000000000001",
    username: role,
    displayName: role,
    role,
    grants,
  });

async function list(search = ""): Promise<{ status: number; body: ProposalListResponse }> {
  const { GET } = await import("./route");
  const response = await GET(new Request(`http://sealdeck.test/api/proposals${search}`));
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, body: (await response.json()) as ProposalListResponse };
}

function row(
  name: string,
  namespace: string,
  clusters: string[],
  proposalState: "open" | "merged" | "closed",
  extra: { repository?: string; branch?: string; url?: string; stateCheckedAt?: Date; updatedAt?: Date } = {},
) {
  return prisma.proposal.create({
    data: {
      repository: extra.repository ?? "github",
      provider: "github",
      number: 1,
      url: extra.url ?? `https://github.test/acme/deploy/pull/${name}`,
      branch: extra.branch ?? `sealdeck/${namespace}/${name}`,
      baseBranch: "main",
      headSha: "a".repeat(40),
      state: proposalState,
      title: `Rotate sealed secret ${namespace}/${name}`,
      namespace,
      name,
      clusters,
      keys: ["password"],
      requestedByName: "Dana Developer",
      // Recently checked: the refresh leaves these alone.
      stateCheckedAt: extra.stateCheckedAt ?? new Date(),
    },
  });
}

beforeEach(async () => {
  await prisma.proposal.deleteMany();
  await prisma.setting.deleteMany();
  delete (globalThis as { sealdeckProposalRefresh?: unknown }).sealdeckProposalRefresh;
});

describe("GET /api/proposals", () => {
  it("shows developers only their granted namespaces, and everything to inventory-wide roles", async () => {
    await row("db", "payments", ["prod"], "open");
    await row("api", "shop", ["sandbox"], "merged");
    await row("cache", "payments", ["staging", "prod"], "closed");
    await row("other", "payments", ["staging"], "open");

    session.principal = user("developer", [{ cluster: "prod", namespace: "payments" }]);
    const mine = await list();
    expect(mine.status).toBe(200);
    expect(mine.body.proposals.map((p) => p.name).sort()).toEqual(["cache", "db"]);
    expect(mine.body.counts).toEqual({ open: 1, merged: 0, closed: 1 });

    session.principal = user("developer", [{ cluster: "*", namespace: "payments" }]);
    expect((await list()).body.proposals.map((p) => p.name).sort()).toEqual(["cache", "db", "other"]);

    session.principal = user("auditor");
    const all = await list();
    expect(all.body.proposals).toHaveLength(4);
    expect(all.body.counts).toEqual({ open: 2, merged: 1, closed: 1 });
    expect(all.body.proposals[0]).toMatchObject({
      webUrl: expect.stringMatching(/^https:\/\/github\.test\//),
      requestedBy: "Dana Developer",
      keys: ["password"],
    });

    session.principal = user("admin");
    expect((await list()).status).toBe(403);
    session.principal = null;
    expect((await list()).status).toBe(401);
  });

  it("filters by state and by one secret, and rejects a bad filter", async () => {
    await row("db", "payments", ["prod"], "open");
    await row("db", "payments", ["prod"], "merged", { branch: "sealdeck/payments/db-old" });
    await row("api", "shop", ["sandbox"], "merged");
    session.principal = user("security-lead");
    const merged = await list("?state=merged");
    expect(merged.body.proposals.map((p) => p.name).sort()).toEqual(["api", "db"]);
    expect(merged.body.counts).toEqual({ open: 1, merged: 2, closed: 0 });
    const secret = await list("?cluster=prod&namespace=payments&name=db");
    expect(secret.body.proposals.map((p) => p.state).sort()).toEqual(["merged", "open"]);
    expect((await list("?state=draft")).status).toBe(422);
  });

  // Listing no longer asks the Git host: the background poller does (lib/gitops/start-proposal-poller.ts),
  // so merges are recorded without anyone on the Changes page, once across replicas.
  it("lists the stored state; the poller's pass records a merge the list then shows", async () => {
    const fixture = await createGitFixture({ "README.md": "# deploy\n" });
    try {
      await prisma.setting.create({
        data: { key: "gitops.repositories", value: [{ provider: "plain-git", remote: fixture.remote }] },
      });
      const branch = "sealdeck/payments/db";
      // The proposal's commit is on main: it was merged (plain git: its head is an ancestor of main).
      const merged = await fixture.push("main", { "prod/payments/db.yaml": "kind: SealedSecret\n" });
      await runGit(["update-ref", `refs/heads/${branch}`, merged], { cwd: fixture.remote });
      const stale = await row("db", "payments", ["prod"], "open", {
        repository: "default",
        branch,
        url: `${fixture.remote}#${branch}`,
        stateCheckedAt: new Date(Date.now() - 3_600_000),
      });
      session.principal = user("auditor");
      const before = await list();
      expect(before.body.proposals).toMatchObject([{ id: stale.id, state: "open", branch }]);
      const repositories = await readGitopsRepositories();
      expect(await refreshStaleProposals(prisma, { repositories, staleAfterMs: 15_000 })).toEqual({
        checked: 1,
        changed: 1,
      });
      const { body } = await list();
      expect(body.proposals).toMatchObject([{ id: stale.id, state: "merged", webUrl: null, branch }]);
      expect(
        await prisma.$queryRawUnsafe<{ n: bigint }[]>(
          "SELECT count(*) AS n FROM audit_events WHERE action = 'pull_request.merged'",
        ),
      ).toEqual([{ n: 1n }]);
    } finally {
      await removeProviderCache(fixture.remote);
      await fixture.cleanup();
    }
  });
});
