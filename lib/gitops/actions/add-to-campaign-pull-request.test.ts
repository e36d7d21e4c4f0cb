import path from "node:path";

import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { Inventory } from "@/lib/kube/inventory";
import { listRecoveryCampaigns } from "@/lib/recovery/list-recovery-campaigns";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";

import { findCampaignPullRequest } from "../find-campaign-pull-request";
import { createPlainGitProvider } from "../plain-git-provider";
import { readMarker } from "../proposal-marker";
import { refreshStaleProposals } from "../refresh-proposal-states";
import { createGitFixture, fakeSealedSecret, type GitFixture } from "../testing/git-fixture";
import { removeProviderCache } from "../testing/provider-cache-dir";

// A re-seal campaign's secrets batched into one pull request per repository, end to end: the server
// actions (locate says which pull request; propose adds to it), a real bare repository through the
// plain-git provider, the Proposal rows, the audit log and the campaign's progress.

vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const SECRETS = ["db-credentials", "api-keys", "queue-token"] as const;
const fileOf = (name: string) => `sandbox/production/${name}.sealedsecret.yaml`;
const existing = (name: string) => `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: ${name}
  namespace: production
spec:
  encryptedData:
    password: AgOLD${name.replace(/-/g, "").toUpperCase()}==
  template:
    metadata:
      name: ${name}
      namespace: production
    type: Opaque
`;
const BRANCH = "sealdeck/production/db-credentials";

const { prisma, query } = setupMigratedDatabase({ appClient: true });
let fixture: GitFixture;
let campaignId: string;

function reSeal(name: string, value: string, overrides: Record<string, unknown> = {}) {
  return {
    action: "rotate" as const,
    namespace: "production",
    name,
    scope: "strict" as const,
    keys: ["password"],
    files: [
      {
        cluster: "sandbox",
        certificateFingerprint: "cd".repeat(32),
        manifest: fakeSealedSecret("production", name, { password: value }),
        path: fileOf(name),
      },
    ],
    ...overrides,
  };
}

const auditRows = () =>
  query<{ action: string; outcome: string; target_name: string; details: Record<string, unknown> }>(
    "SELECT action, outcome, target_name, details FROM audit_events ORDER BY seq",
  );

beforeAll(async () => {
  (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory = new Inventory([]);
  await prisma.user.create({
    data: { username: "dana", displayName: "Dana Developer", email: "dana@example.test", role: "developer" },
  });
});

beforeEach(async () => {
  fixture = await createGitFixture(Object.fromEntries(SECRETS.map((name) => [fileOf(name), existing(name)])));
  const repositories = [{ provider: "plain-git", remote: fixture.remote }];
  await prisma.setting.upsert({
    where: { key: "gitops.repositories" },
    create: { key: "gitops.repositories", value: repositories },
    update: { value: repositories },
  });
  const user = await prisma.user.findUniqueOrThrow({ where: { username: "dana" } });
  session.principal = testPrincipal({
    userId: user.id,
    username: "dana",
    displayName: "Dana Developer",
    role: "developer",
    grants: [{ cluster: "sandbox", namespace: "production" }],
  });
  campaignId = (
    await prisma.recoveryCampaign.create({
      data: {
        incidentId: "key-loss/sandbox",
        cluster: "sandbox",
        missingKeys: [],
        startedByName: "lead",
        // Started a moment ago: the proposals below come after it.
        startedAt: new Date(Date.now() - 1000),
        secrets: { create: SECRETS.map((name) => ({ namespace: "production", name, keys: ["password"] })) },
      },
    })
  ).id;
});
afterEach(async () => {
  await query("DELETE FROM proposals");
  await query("DELETE FROM recovery_campaigns");
  await fixture.cleanup();
  await removeProviderCache(fixture.remote);
});

async function campaignPullRequest(name: string) {
  const { locateProposalFiles } = await import("./locate-proposal-files");
  const located = await locateProposalFiles({
    namespace: "production",
    name,
    clusters: ["sandbox"],
    campaign: campaignId,
  });
  if (!located.ok) throw new Error(located.error);
  return located.data.campaignPullRequest;
}

/** The shared branch's head commit message: plain git's pull request description. */
const headMessage = async () => (await fixture.log(`${BRANCH}~1..${BRANCH}`, "%B")).join("\n");

const progress = async () => {
  const [campaign] = await listRecoveryCampaigns(prisma, () => undefined, {
    principal: null,
    id: campaignId,
  });
  return Object.fromEntries(campaign!.secrets.map((s) => [s.name, s.state]));
};

describe("adding a campaign secret to the campaign's pull request", () => {
  it("commits it onto the first secret's branch, records a row per secret, and one merge moves both", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    expect(await campaignPullRequest("api-keys")).toBeNull();
    expect(await proposeSealedSecret(reSeal("db-credentials", "AgNEWDB=="))).toMatchObject({
      ok: true,
      data: { created: true, branch: BRANCH },
    });
    // Its own pull request is not offered to the secret it belongs to.
    expect(await campaignPullRequest("db-credentials")).toBeNull();
    expect(await campaignPullRequest("api-keys")).toEqual({
      repository: "default",
      branch: BRANCH,
      number: 0,
      url: `${fixture.remote}#${BRANCH}`,
      secrets: 1,
    });

    const added = await proposeSealedSecret(reSeal("api-keys", "AgNEWAPI==", { addToCampaign: campaignId }));
    expect(added).toMatchObject({
      ok: true,
      data: { created: false, branch: BRANCH, sharedSecrets: 2, files: [{ path: fileOf("api-keys") }] },
    });
    expect(await fixture.branches()).toEqual(["main", BRANCH]);
    expect(await fixture.read(BRANCH, fileOf("db-credentials"))).toContain("AgNEWDB==");
    expect(await fixture.read(BRANCH, fileOf("api-keys"))).toContain("AgNEWAPI==");
    expect(await fixture.log(`main..${BRANCH}`, "%s")).toHaveLength(2);
    const head = await fixture.head(BRANCH);
    const message = await headMessage();
    expect(message.split("\n")[0]).toBe(
      "Re-seal 2 sealed secrets production/db-credentials, production/api-keys on sandbox",
    );
    expect(readMarker(message)).toMatchObject({
      secret: "production/db-credentials",
      batch: [
        { secret: "production/api-keys", path: fileOf("api-keys"), cluster: "sandbox", keys: ["password"] },
      ],
    });

    const rows = await prisma.proposal.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.name, r.branch, r.number, r.state, r.headSha])).toEqual([
      ["db-credentials", BRANCH, 0, "open", head],
      ["api-keys", BRANCH, 0, "open", head],
    ]);
    expect(await campaignPullRequest("queue-token")).toMatchObject({ branch: BRANCH, secrets: 2 });

    const events = await auditRows();
    const requested = events.filter((e) => e.action === "secret.seal.requested").at(-1);
    expect(requested).toMatchObject({
      target_name: "api-keys",
      details: { campaign: campaignId, sharedPullRequest: { branch: BRANCH, number: 0 } },
    });
    expect(events.at(-1)).toMatchObject({
      action: "pull_request.updated",
      outcome: "success",
      target_name: "api-keys",
      details: { branch: BRANCH, campaign: campaignId, sharedSecrets: 2 },
    });
    expect(await progress()).toMatchObject({ "db-credentials": "proposed", "api-keys": "proposed" });

    // The first owner changes their secret again: the shared branch is not rebuilt, the batch stays.
    const again = await proposeSealedSecret(reSeal("db-credentials", "AgNEWERDB=="));
    expect(again).toMatchObject({ ok: true, data: { created: false, branch: BRANCH } });
    expect(await fixture.read(BRANCH, fileOf("db-credentials"))).toContain("AgNEWERDB==");
    expect(await fixture.read(BRANCH, fileOf("api-keys"))).toContain("AgNEWAPI==");
    expect(readMarker(await headMessage())?.batch).toHaveLength(1);
    const heads = await prisma.proposal.findMany({ select: { headSha: true } });
    expect(new Set(heads.map((r) => r.headSha))).toEqual(new Set([await fixture.head(BRANCH)]));

    // The merge (plain git: the branch reaches main) moves every row of the pull request.
    await fixture.fastForward("main", BRANCH);
    const providerFor = () =>
      createPlainGitProvider({ remote: fixture.remote, cacheDir: path.join(fixture.root, "cache") });
    const repositories = [{ id: "default", provider: "plain-git" as const, remote: fixture.remote } as never];
    expect(await refreshStaleProposals(prisma, { repositories, staleAfterMs: 0, providerFor })).toEqual({
      checked: 2,
      changed: 2,
    });
    expect((await prisma.proposal.findMany()).map((r) => r.state)).toEqual(["merged", "merged"]);
    expect(
      (await auditRows())
        .filter((e) => e.action === "pull_request.merged")
        .map((e) => e.target_name)
        .sort(),
    ).toEqual(["api-keys", "db-credentials"]);
    expect(await progress()).toMatchObject({ "db-credentials": "merged", "api-keys": "merged" });

    // Merged: nothing left to join; asking anyway fails clearly, and nothing reaches Git.
    expect(await campaignPullRequest("queue-token")).toBeNull();
    const late = await proposeSealedSecret(reSeal("queue-token", "AgNEWQ==", { addToCampaign: campaignId }));
    expect(late).toMatchObject({ ok: false, status: 409 });
    expect(!late.ok && late.error).toMatch(
      /no open pull request in default any more \(merged or closed meanwhile\)/,
    );
    expect(await fixture.branches()).toEqual(["main", BRANCH]);
  }, 120_000);

  it("previews an add against the shared branch's head, its own pull request against main", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const { previewProposal } = await import("./preview-proposal");
    await proposeSealedSecret(reSeal("db-credentials", "AgNEWDB=="));
    const mainHead = await fixture.head("main");
    const beforeOf = async (input: Parameters<typeof previewProposal>[0]) => {
      const preview = await previewProposal(input);
      if (!preview.ok) throw new Error(preview.error);
      return { base: preview.data.base, before: preview.data.files[0]?.before ?? null };
    };

    // api-keys is already on the shared branch with an earlier value; main still has the old one.
    await proposeSealedSecret(reSeal("api-keys", "AgFIRSTAPI==", { addToCampaign: campaignId }));
    const branchHead = await fixture.head(BRANCH);
    expect(await fixture.read("main", fileOf("api-keys"))).not.toContain("AgFIRSTAPI==");
    const joined = await beforeOf(reSeal("api-keys", "AgNEWAPI==", { addToCampaign: campaignId }));
    expect(joined.base).toEqual({ branch: BRANCH, commit: branchHead, shared: true });
    expect(joined.before).toBe(await fixture.read(BRANCH, fileOf("api-keys")));
    expect(joined.before).toContain("AgFIRSTAPI==");

    // A file the branch has not touched: its version there (the same text as main's), at the branch head.
    const untouched = await beforeOf(reSeal("queue-token", "AgNEWQ==", { addToCampaign: campaignId }));
    expect(untouched.base).toEqual({ branch: BRANCH, commit: branchHead, shared: true });
    expect(untouched.before).toBe(await fixture.read(BRANCH, fileOf("queue-token")));

    // Its own pull request compares with main again.
    const own = await beforeOf(reSeal("api-keys", "AgNEWAPI=="));
    expect(own.base).toEqual({ branch: "main", commit: mainHead, shared: false });
    expect(own.before).toBe(existing("api-keys"));
    // Nothing was written by previewing.
    expect(await fixture.head(BRANCH)).toBe(branchHead);

    // The branch comes from the campaign, as for the add itself: a campaign without one is refused.
    const unknown = await previewProposal(
      reSeal("api-keys", "AgNEWAPI==", { addToCampaign: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(unknown).toMatchObject({ ok: false, status: 409 });
  }, 60_000);

  it("fails clearly when the pull request was merged in Git before Sealdeck noticed, audited, nothing added", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    await proposeSealedSecret(reSeal("db-credentials", "AgNEWDB=="));
    await fixture.fastForward("main", BRANCH);
    const mainHead = await fixture.head("main");
    const result = await proposeSealedSecret(reSeal("api-keys", "AgNEWAPI==", { addToCampaign: campaignId }));
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(!result.ok && result.error).toMatch(/merged or closed meanwhile; nothing was added/);
    expect(await fixture.head("main")).toBe(mainHead);
    expect(await fixture.head(BRANCH)).toBe(mainHead);
    expect((await prisma.proposal.findMany()).map((r) => r.name)).toEqual(["db-credentials"]);
    expect((await auditRows()).at(-1)).toMatchObject({
      action: "pull_request.failed",
      target_name: "api-keys",
      details: { campaign: campaignId },
    });
  }, 60_000);

  it("two owners adding at once: both commits stay, or one gets a clear error and leaves nothing behind", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    await proposeSealedSecret(reSeal("db-credentials", "AgNEWDB=="));
    const results = await Promise.all([
      proposeSealedSecret(reSeal("api-keys", "AgNEWAPI==", { addToCampaign: campaignId })),
      proposeSealedSecret(reSeal("queue-token", "AgNEWQ==", { addToCampaign: campaignId })),
    ]);
    const values = { "api-keys": "AgNEWAPI==", "queue-token": "AgNEWQ==" } as const;
    const names = ["api-keys", "queue-token"] as const;
    const succeeded = names.filter((_, i) => results[i]?.ok);
    expect(succeeded.length).toBeGreaterThan(0);
    for (const [i, name] of names.entries()) {
      const result = results[i]!;
      const onBranch = await fixture.read(BRANCH, fileOf(name));
      if (result.ok) expect(onBranch).toContain(values[name]);
      else {
        expect(result).toMatchObject({ status: 409 });
        expect(result.error).toMatch(/moved while Sealdeck added to it.*nothing was added\. Try again/);
        expect(onBranch).not.toContain(values[name]);
      }
    }
    const rows = await prisma.proposal.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.name)).toEqual(["db-credentials", ...succeeded]);
    expect(await fixture.log(`main..${BRANCH}`, "%s")).toHaveLength(1 + succeeded.length);
    expect(readMarker(await headMessage())?.batch?.map((b) => b.secret)).toEqual(
      succeeded.map((name) => `production/${name}`),
    );
  }, 60_000);

  it("offers the campaign's pull request only to a viewer who may see every secret in it", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    await proposeSealedSecret(reSeal("db-credentials", "AgNEWDB=="));
    const ask = (canSee: (cluster: string, namespace: string) => boolean) =>
      findCampaignPullRequest(
        prisma,
        {
          campaignId,
          repository: "default",
          namespace: "production",
          name: "api-keys",
          clusters: ["sandbox"],
        },
        canSee,
      );
    // Its branch names the other secret: someone who may not see that namespace opens their own.
    expect(await ask(() => false)).toBeNull();
    expect(await ask((_cluster, namespace) => namespace === "production")).toMatchObject({ branch: BRANCH });
  }, 60_000);

  it("refuses a secret that is not the campaign's", async () => {
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    await proposeSealedSecret(reSeal("db-credentials", "AgNEWDB=="));
    await query("DELETE FROM recovery_campaign_secrets WHERE name = 'api-keys'");
    const result = await proposeSealedSecret(reSeal("api-keys", "AgNEWAPI==", { addToCampaign: campaignId }));
    expect(result).toMatchObject({ ok: false, status: 400 });
    expect(await fixture.read(BRANCH, fileOf("api-keys"))).not.toContain("AgNEWAPI==");
  });
});
