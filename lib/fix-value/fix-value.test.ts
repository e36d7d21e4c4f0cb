import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { observeValues } from "@/lib/audit/observe-rotations";
import type { Principal } from "@/lib/auth/principal";
import { proposeSealedSecret } from "@/lib/gitops/actions/propose-sealed-secret";
import { createGitFixture, type GitFixture } from "@/lib/gitops/testing/git-fixture";
import { removeProviderCache } from "@/lib/gitops/testing/provider-cache-dir";
import { Inventory } from "@/lib/kube/inventory";
import { RESTARTED_FOR_FIX_ANNOTATION, restartConsumers } from "@/lib/kube/restart-consumers";
import type * as RestartModule from "@/lib/kube/restart-consumers";
import { loadClusterRegistry } from "@/lib/kube/load-cluster-registry";
import { RotationWatcher } from "@/lib/kube/rotation-watcher";
import { buildSealedSecret, loadSealingKey } from "@/lib/sealing";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";
import type { SealingCertificateResponse } from "@/lib/validations/proposal";
import { startSandbox, type Sandbox } from "@/sandbox/start-sandbox";
import { eventually, kubeClient } from "@/sandbox/testing/kube-request";
import { cancelValueFix } from "./actions/cancel-value-fix";
import { startValueFix } from "./actions/start-value-fix";
import { advanceValueFixes, type AdvanceResult } from "./advance-value-fixes";

// "Fix a value" end to end against the sandbox, a real bare Git repository synced by the sandbox's
// GitOps emulation, and Postgres: the consumers restart only after the cluster applied the new value,
// exactly once however many passes run at the same time, as the requester (impersonated); a requester
// who lost the right gets no restart; an ExternalSecret is force-synced and restarted after ESO's sync.

vi.hoisted(() => {
  process.env.SEALDECK_KUBE_ACCESS = "impersonate";
});
vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));
// The real restart, replaceable once by a test that makes a replica stop in the middle of it.
vi.mock("@/lib/kube/restart-consumers", async (importOriginal) => {
  const actual = await importOriginal<typeof RestartModule>();
  return { ...actual, restartConsumers: vi.fn(actual.restartConsumers) };
});

const SEALED_FILE = "sandbox/staging/shop-db.sealedsecret.yaml";
const SHOP_DB = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: shop-db
  namespace: staging
spec:
  encryptedData:
    password: AgOLDPASSWORD==
  template:
    metadata:
      name: shop-db
      namespace: staging
`;
const store = (apiKey: string) => `apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: shop-vault
  namespace: staging
spec:
  provider:
    fake:
      data:
        - key: /shop/api
          value: '{"api_key":"${apiKey}"}'
`;
const SHOP_API = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: shop-api
  namespace: staging
spec:
  refreshInterval: 1h
  secretStoreRef: { name: shop-vault, kind: SecretStore }
  target: { name: shop-api }
  data:
    - secretKey: API_KEY
      remoteRef: { key: /shop/api, property: api_key }
`;
const deployment = (name: string, secret: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: staging
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: app
          image: registry.example.com/${name}:1
          envFrom:
            - secretRef: { name: ${secret} }
`;

const database = setupMigratedDatabase({ appClient: true });
const { prisma, query } = database;
let sandbox: Sandbox;
let fixture: GitFixture;
let inventory: Inventory;
let watcher: RotationWatcher;
let dana: Principal;

const shopDb = { cluster: "sandbox", namespace: "staging", kind: "SealedSecret", name: "shop-db" } as const;
const shopApi = {
  cluster: "sandbox",
  namespace: "staging",
  kind: "ExternalSecret",
  name: "shop-api",
} as const;

/** PATCHes of a Deployment the sandbox received since `since`. */
const restarts = (since: number, name: string) =>
  sandbox.clusters[0]!.requests(since).filter(
    (r) => r.method === "PATCH" && r.path === `/apis/apps/v1/namespaces/staging/deployments/${name}`,
  );

/** An ExternalSecret fix whose new sync ESO already reported: the next pass claims its restart. */
const appliedFix = () =>
  prisma.valueFix.create({
    data: {
      ...shopApi,
      keys: ["API_KEY"],
      state: "waiting_apply",
      requestedById: dana.userId,
      requestedByName: "Dana Developer",
      forceSyncedAt: new Date(Date.now() - 3_600_000),
      syncedVersionBefore: "a version ESO reported before",
    },
  });

const lastSeq = () => sandbox.clusters[0]!.requests().at(-1)?.seq ?? 0;

const fixEvents = (fixId: string) =>
  query<{
    seq: string;
    action: string;
    outcome: string;
    actor_name: string;
    details: Record<string, unknown>;
  }>(
    "SELECT seq::text, action, outcome, actor_name, details FROM audit_events WHERE details->>'fixId' = $1 ORDER BY audit_events.seq",
    [fixId],
  );

const fixState = async (id: string) => (await prisma.valueFix.findUniqueOrThrow({ where: { id } })).state;

async function sealAndPropose(value: string) {
  const { GET } = await import("@/app/api/clusters/[cluster]/certificate/route");
  const response = await GET(new Request("http://sealdeck.test/api/clusters/sandbox/certificate"), {
    params: Promise.resolve({ cluster: "sandbox" }),
  });
  const certificate = (await response.json()) as SealingCertificateResponse;
  const key = await loadSealingKey(certificate.pem, { allowExpired: true });
  const manifest = await buildSealedSecret(
    { name: "shop-db", namespace: "staging", entries: [{ key: "password", value }] },
    key,
    { scope: "strict" },
  );
  const proposed = await proposeSealedSecret({
    action: "rotate",
    namespace: "staging",
    name: "shop-db",
    scope: "strict",
    keys: ["password"],
    files: [
      {
        cluster: "sandbox",
        certificateFingerprint: certificate.fingerprintSha256,
        manifest,
        path: SEALED_FILE,
      },
    ],
  });
  if (!proposed.ok) throw new Error(proposed.error);
  return proposed.data;
}

/** Runs passes until `done` says the fix is settled, collecting every pass's result. */
async function advanceUntil(fixId: string, settled: readonly string[], concurrent = 1) {
  const results: AdvanceResult[] = [];
  await eventually(
    async () => {
      inventory.flush();
      results.push(
        ...(await Promise.all(
          Array.from({ length: concurrent }, () => advanceValueFixes(prisma, inventory)),
        )),
      );
      return settled.includes(await fixState(fixId)) ? true : undefined;
    },
    300,
    100,
  );
  return results;
}

beforeAll(async () => {
  fixture = await createGitFixture({
    [SEALED_FILE]: SHOP_DB,
    "sandbox/staging/shop-vault.yaml": store("first-key"),
    "sandbox/staging/shop-api.externalsecret.yaml": SHOP_API,
    "sandbox/staging/shop.deployment.yaml": deployment("shop", "shop-db"),
    "sandbox/staging/shop-api.deployment.yaml": deployment("shop-api", "shop-api"),
  });
  await prisma.setting.create({
    data: { key: "gitops.repositories", value: [{ provider: "plain-git", remote: fixture.remote }] },
  });
  const user = await prisma.user.create({
    data: {
      username: "dana",
      displayName: "Dana Developer",
      role: "developer",
      grants: { create: [{ cluster: "sandbox", namespace: "staging" }] },
    },
  });
  dana = testPrincipal({
    userId: user.id,
    username: "dana",
    displayName: "Dana Developer",
    role: "developer",
    grants: [{ cluster: "sandbox", namespace: "staging" }],
  });
  session.principal = dana;
  sandbox = await startSandbox({ noDemo: true, quiet: true, gitopsRepo: fixture.remote, gitopsPollMs: 100 });
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
  (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory = inventory;
  inventory.start();
  watcher = new RotationWatcher(inventory.clusters, {
    record: (observations) => observeValues(prisma, observations),
    batchDelayMs: 50,
  });
  watcher.start();
  await eventually(async () => {
    inventory.flush();
    const sealed = inventory.get("sandbox/staging/SealedSecret/shop-db");
    const external = inventory.get("sandbox/staging/ExternalSecret/shop-api");
    return sealed?.consumers.length === 1 &&
      external?.consumers.length === 1 &&
      external.health.status === "Healthy"
      ? true
      : undefined;
  }, 600);
  // The first ciphertext is a baseline, not a rotation.
  await eventually(async () =>
    (await query("SELECT 1 FROM observed_rotations WHERE name = 'shop-db'")).length > 0 ? true : undefined,
  );
}, 120_000);

afterAll(async () => {
  watcher?.stop();
  inventory?.stop();
  delete (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory;
  await sandbox?.stop();
  if (fixture) {
    await removeProviderCache(fixture.remote);
    await fixture.cleanup();
  }
});

describe("Fix a value: SealedSecret", () => {
  it("restarts the consumers once, as the user, only after the cluster applied the new value", async () => {
    const started = await startValueFix({ ...shopDb, keys: ["password"] });
    expect(started).toMatchObject({
      ok: true,
      data: { next: "/seal?cluster=sandbox&namespace=staging&name=shop-db&rotate=password" },
    });
    const fixId = started.ok ? started.data.fixId : "";
    // Named as the audit log names her, not by her display name: one person written one way.
    expect((await prisma.valueFix.findUniqueOrThrow({ where: { id: fixId } })).requestedByName).toBe("dana");
    expect(await startValueFix({ ...shopDb, keys: ["password"] })).toMatchObject({ ok: false, status: 409 });

    const proposed = await sealAndPropose("the corrected value");
    const since = lastSeq();
    const linked = await advanceValueFixes(prisma, inventory);
    expect(linked.linked).toBe(1);
    expect(await fixState(fixId)).toBe("waiting_merge");

    // The merge is recorded (as the poller or the Merge button would) before Git's main moves: the
    // cluster still holds the old value, so nothing restarts.
    const { transitionProposal } = await import("@/lib/gitops/refresh-proposal-states");
    const proposal = await prisma.proposal.findFirstOrThrow({
      where: { branch: proposed.branch, state: "open" },
    });
    await transitionProposal(prisma, proposal, "merged", { source: "sealdeck", actor: "test" });
    const merged = await advanceValueFixes(prisma, inventory);
    expect(merged).toMatchObject({ merged: 1, restart: [] });
    expect(await fixState(fixId)).toBe("waiting_apply");
    expect(await advanceValueFixes(prisma, inventory)).toMatchObject({ restart: [] });
    expect(restarts(since, "shop")).toEqual([]);

    // Now Git's main moves: GitOps applies it, the controller unseals, the watcher observes the rotation.
    await fixture.fastForward("main", proposed.branch);
    const results = await advanceUntil(fixId, ["restarted", "failed"], 2);
    expect(await fixState(fixId)).toBe("restarted");
    expect(results.flatMap((r) => r.restart).filter((o) => o === "restarted")).toHaveLength(1);

    const patches = restarts(since, "shop");
    expect(patches).toEqual([
      expect.objectContaining({
        impersonatedUser: "dana",
        impersonatedGroups: ["sealdeck:developer"],
        status: 200,
      }),
    ]);
    const events = await fixEvents(fixId);
    expect(events.map((e) => [e.action, e.outcome, e.actor_name])).toEqual([
      ["secret.fix.requested", "pending", "dana"],
      ["secret.fix.proposed", "success", "sealdeck:value-fix"],
      ["secret.fix.merged", "success", "sealdeck:value-fix"],
      ["secret.fix.applied", "success", "sealdeck:value-fix"],
      ["secret.fix.restart.requested", "pending", "dana"],
      ["secret.fix.restart", "success", "dana"],
    ]);
    // The observed rotation it waited for is linked, and came before the restart.
    const applied = events[3]!.details as { rotationObservedSeq: number[] };
    expect(applied.rotationObservedSeq).toHaveLength(1);
    const observed = await query<{ seq: string; details: { ciphertextSha256: string } }>(
      "SELECT seq::text, details FROM audit_events WHERE action = 'rotation.observed' AND target_name = 'shop-db'",
    );
    expect(observed.map((o) => Number(o.seq))).toEqual(applied.rotationObservedSeq);
    expect(Number(observed[0]!.seq)).toBeLessThan(Number(events[4]!.seq));
    expect(events[5]!.details).toMatchObject({ restarted: ["Deployment staging/shop"] });
    expect(JSON.stringify(events)).not.toContain("the corrected value");
    const view = await prisma.valueFix.findUniqueOrThrow({ where: { id: fixId } });
    expect(view).toMatchObject({ restarted: ["Deployment staging/shop"], proposalId: proposal.id });
  }, 90_000);

  it("does not restart for a requester who lost the right, and says why in the audit log", async () => {
    const started = await startValueFix({ ...shopDb, keys: ["password"] });
    const fixId = started.ok ? started.data.fixId : "";
    const proposed = await sealAndPropose("another corrected value");
    await advanceValueFixes(prisma, inventory);
    expect(await fixState(fixId)).toBe("waiting_merge");
    // An admin removes Dana's grant on staging while the pull request waits.
    await prisma.namespaceGrant.deleteMany({ where: { userId: dana.userId } });
    const since = lastSeq();
    await fixture.fastForward("main", proposed.branch);
    const proposal = await prisma.proposal.findFirstOrThrow({
      where: { branch: proposed.branch, state: "open" },
    });
    const { transitionProposal } = await import("@/lib/gitops/refresh-proposal-states");
    await transitionProposal(prisma, proposal, "merged", { source: "sealdeck", actor: "test" });
    await advanceUntil(fixId, ["restarted", "failed"]);

    const fix = await prisma.valueFix.findUniqueOrThrow({ where: { id: fixId } });
    expect(fix.state).toBe("failed");
    expect(fix.failure).toMatch(
      /dana \(developer\) may no longer restart the consumers of secrets in staging/,
    );
    expect(restarts(since, "shop")).toEqual([]);
    const events = await fixEvents(fixId);
    expect(events.slice(-2).map((e) => [e.action, e.outcome, e.actor_name])).toEqual([
      ["secret.fix.applied", "success", "sealdeck:value-fix"],
      ["secret.fix.restart", "denied", "dana"],
    ]);
    await prisma.namespaceGrant.create({
      data: { userId: dana.userId, cluster: "sandbox", namespace: "staging" },
    });
  }, 90_000);

  it("can be cancelled before the restart, once, audited", async () => {
    const started = await startValueFix({ ...shopDb, keys: ["password"] });
    const fixId = started.ok ? started.data.fixId : "";
    expect(await cancelValueFix({ ...shopDb, fixId })).toEqual({ ok: true, data: { cancelled: true } });
    expect(await cancelValueFix({ ...shopDb, fixId })).toMatchObject({ ok: false, status: 409 });
    expect(await fixState(fixId)).toBe("cancelled");
    expect((await fixEvents(fixId)).map((e) => [e.action, e.actor_name])).toEqual([
      ["secret.fix.requested", "dana"],
      ["secret.fix.cancelled", "dana"],
    ]);
  });
});

describe("Fix a value: ExternalSecret", () => {
  it("force-syncs as the user once the provider holds the new value, then restarts after ESO's new sync", async () => {
    // The provider is updated (the fake store's data, through Git like everything here).
    await fixture.push(
      "main",
      { "sandbox/staging/shop-vault.yaml": store("second-key") },
      "Rotate the API key",
    );
    const admin = kubeClient(sandbox.kubeconfig, { user: "sandbox-admin" });
    await eventually(async () => {
      const response = await admin.send(
        "GET",
        "/apis/external-secrets.io/v1/namespaces/staging/secretstores/shop-vault",
      );
      return response.body.includes("second-key") ? true : undefined;
    }, 200);
    expect(await startValueFix({ ...shopApi })).toMatchObject({ ok: false, status: 422 });
    const since = lastSeq();
    const started = await startValueFix({ ...shopApi, providerUpdated: true });
    expect(started).toMatchObject({ ok: true, data: { next: null } });
    const fixId = started.ok ? started.data.fixId : "";
    const forceSync = sandbox.clusters[0]!.requests(since).filter(
      (r) => r.method === "PATCH" && r.path.endsWith("/externalsecrets/shop-api"),
    );
    expect(forceSync).toEqual([expect.objectContaining({ impersonatedUser: "dana", status: 200 })]);

    await advanceUntil(fixId, ["restarted", "failed"], 2);
    expect(await fixState(fixId)).toBe("restarted");
    expect(restarts(since, "shop-api")).toEqual([
      expect.objectContaining({ impersonatedUser: "dana", status: 200 }),
    ]);
    const events = await fixEvents(fixId);
    expect(events.map((e) => [e.action, e.outcome, e.actor_name])).toEqual([
      ["secret.fix.requested", "pending", "dana"],
      ["secret.fix.force_sync", "success", "dana"],
      ["secret.fix.applied", "success", "sealdeck:value-fix"],
      ["secret.fix.restart.requested", "pending", "dana"],
      ["secret.fix.restart", "success", "dana"],
    ]);
    expect(events[2]!.details).toMatchObject({ syncedResourceVersion: expect.any(String) as unknown });
    // The restart came after ESO reported the sync the force-sync asked for.
    const status = (
      await admin.send("GET", "/apis/external-secrets.io/v1/namespaces/staging/externalsecrets/shop-api")
    ).json<{ status: { refreshTime: string } }>().status;
    const fix = await prisma.valueFix.findUniqueOrThrow({ where: { id: fixId } });
    expect(Date.parse(status.refreshTime)).toBeGreaterThanOrEqual(
      Math.floor(fix.forceSyncedAt!.getTime() / 1000) * 1000,
    );
  }, 90_000);

  it("fails closed: no fix starts and no restart is claimed while the audit log cannot be written", async () => {
    const before = await prisma.valueFix.count();
    const refused = await withAuditLogUnavailable(database, () =>
      startValueFix({ ...shopDb, keys: ["password"] }),
    );
    expect(refused).toMatchObject({ ok: false, status: 503 });
    expect(await prisma.valueFix.count()).toBe(before);

    // A fix whose new sync ESO reported already (force-synced before the last sync).
    const fix = await appliedFix();
    const since = lastSeq();
    const blocked = await withAuditLogUnavailable(database, () => advanceValueFixes(prisma, inventory));
    expect(blocked.restart).toEqual([]);
    expect(await fixState(fix.id)).toBe("waiting_apply");
    expect(restarts(since, "shop-api")).toEqual([]);
    expect((await advanceValueFixes(prisma, inventory)).restart).toEqual(["restarted"]);
    expect(restarts(since, "shop-api")).toHaveLength(1);
  });
});

describe("Fix a value: a replica dies between claiming the restart and its outcome", () => {
  const actualRestart = async (...args: Parameters<typeof restartConsumers>) =>
    (await vi.importActual<typeof RestartModule>("@/lib/kube/restart-consumers")).restartConsumers(...args);

  /** Replica A's pass, stopped where `stopAt` says until released (standing in for a dead process). */
  function stalledPass(stopAt: "before-patch" | "after-patch") {
    let release = () => {};
    const stopped = new Promise<void>((resolve) => (release = resolve));
    vi.mocked(restartConsumers).mockImplementationOnce(async (...args) => {
      if (stopAt === "before-patch") await stopped;
      const result = await actualRestart(...args);
      if (stopAt === "after-patch") await stopped;
      return result;
    });
    return { pass: advanceValueFixes(prisma, inventory), release };
  }

  const podAnnotations = async () =>
    (
      await kubeClient(sandbox.kubeconfig, { user: "sandbox-admin" }).send(
        "GET",
        "/apis/apps/v1/namespaces/staging/deployments/shop-api",
      )
    ).json<{ spec: { template: { metadata: { annotations?: Record<string, string> } } } }>().spec.template
      .metadata.annotations ?? {};

  it("another replica resumes the expired claim and restarts once; the stalled one records nothing", async () => {
    const fix = await appliedFix();
    const since = lastSeq();
    const a = stalledPass("before-patch");
    await eventually(async () => ((await fixState(fix.id)) === "restarting" ? true : undefined));

    // Replica B while A's claim is younger than the lease: nothing to take over.
    expect((await advanceValueFixes(prisma, inventory, { restartClaimMs: 3_600_000 })).restart).toEqual([]);
    expect(await fixState(fix.id)).toBe("restarting");
    expect(restarts(since, "shop-api")).toEqual([]);

    // Once the claim is older than the lease, B resumes it: one restart, as Dana, stamped with the fix.
    expect((await advanceValueFixes(prisma, inventory, { restartClaimMs: 0 })).restart).toEqual([
      "restarted",
    ]);
    expect(await fixState(fix.id)).toBe("restarted");
    expect(restarts(since, "shop-api")).toEqual([
      expect.objectContaining({ impersonatedUser: "dana", status: 200 }),
    ]);
    expect((await podAnnotations())[RESTARTED_FOR_FIX_ANNOTATION]).toBe(fix.id);

    // A wakes up: the workload already carries this fix's restart, and the outcome is B's.
    a.release();
    expect((await a.pass).restart).toEqual(["not-claimed"]);
    expect(restarts(since, "shop-api")).toHaveLength(1);
    expect((await fixEvents(fix.id)).map((e) => [e.action, e.outcome, e.actor_name])).toEqual([
      ["secret.fix.applied", "success", "sealdeck:value-fix"],
      ["secret.fix.restart.requested", "pending", "dana"],
      ["secret.fix.restart.resumed", "pending", "dana"],
      ["secret.fix.restart", "success", "dana"],
    ]);
  });

  it("a resumed restart does not restart again what the dead replica already restarted", async () => {
    const fix = await appliedFix();
    const since = lastSeq();
    const a = stalledPass("after-patch");
    await eventually(async () => (restarts(since, "shop-api").length === 1 ? true : undefined));
    expect(await fixState(fix.id)).toBe("restarting");

    expect((await advanceValueFixes(prisma, inventory, { restartClaimMs: 0 })).restart).toEqual([
      "restarted",
    ]);
    expect(restarts(since, "shop-api")).toHaveLength(1);
    const row = await prisma.valueFix.findUniqueOrThrow({ where: { id: fix.id } });
    expect(row).toMatchObject({ state: "restarted", restarted: ["Deployment staging/shop-api"] });
    const events = await fixEvents(fix.id);
    expect(events.at(-1)).toMatchObject({
      action: "secret.fix.restart",
      outcome: "success",
      details: { restarted: [], alreadyRestarted: ["Deployment staging/shop-api"] },
    });

    a.release();
    expect((await a.pass).restart).toEqual(["not-claimed"]);
    expect(restarts(since, "shop-api")).toHaveLength(1);
    expect(await fixState(fix.id)).toBe("restarted");
  });

  it("two replicas restarting for the same fix at once restart the workload once", async () => {
    const access = inventory.cluster("sandbox")!.accessFor(dana);
    const shop = { kind: "Deployment", namespace: "staging", name: "shop", via: [] } as const;
    const since = lastSeq();
    const marker = randomUUID();
    const results = await Promise.all(
      [1, 2].map(() => actualRestart(access, "sandbox", [{ ...shop, via: [] }], new Date(), marker)),
    );
    expect(results.flatMap((r) => r.restarted)).toHaveLength(1);
    expect(results.flatMap((r) => r.alreadyRestarted)).toHaveLength(1);
    // The loser's patch, if it got that far, was refused by the resourceVersion precondition.
    expect(restarts(since, "shop").filter((r) => r.status === 200)).toHaveLength(1);
  });
});
