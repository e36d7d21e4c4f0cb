import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { Principal } from "@/lib/auth/principal";
import { Inventory } from "@/lib/kube/inventory";
import { loadClusterRegistry, type ClusterEntry } from "@/lib/kube/load-cluster-registry";
import {
  buildSealedSecret,
  loadSealingKey,
  parseCertificate,
  type SealedSecretManifest,
} from "@/lib/sealing";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { SealingCertificateResponse } from "@/lib/validations/proposal";
import { startSandbox, type Sandbox } from "@/sandbox/start-sandbox";
import { eventually, kubeClient } from "@/sandbox/testing/kube-request";

import { createGitFixture, type GitFixture } from "../testing/git-fixture";
import { removeProviderCache } from "../testing/provider-cache-dir";

// The seal form's server side against the sandbox cluster: the certificate route, verification through
// the controller's /v1/verify, and locating files through the owning Argo CD Application (the sandbox's
// GitOps emulation syncs a real bare repository, so the secret's record names its Application). A second
// cluster entry points at a closed port: "unreachable" must be told apart from "no".

vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const SECRETS_FILE = "apps/shop/secrets.yaml";
const SHOP_DB = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: shop-db
  namespace: shop
spec:
  encryptedData:
    password: AgOLDPASSWORD==
  template:
    metadata:
      name: shop-db
      namespace: shop
`;

const { prisma, query } = setupMigratedDatabase({ appClient: true });
let sandbox: Sandbox;
let fixture: GitFixture;
let inventory: Inventory;
let certificate: SealingCertificateResponse;

const offline: ClusterEntry = {
  name: "offline",
  server: "https://127.0.0.1:1",
  sandbox: false,
  load() {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "offline", server: "https://127.0.0.1:1", skipTLSVerify: true }],
      users: [{ name: "offline", token: "not-a-real-token" }],
      contexts: [{ name: "offline", cluster: "offline", user: "offline" }],
      currentContext: "offline",
    });
    return kc;
  },
};

const developer = (grants: Principal["grants"]) =>
  testPrincipal({
    userId: "00000000-0000-4000-8000-000000000001",
    username: "dana",
    displayName: "Dana Developer",
    role: "developer",
    grants,
  });

async function getCertificate(cluster: string, search = ""): Promise<Response> {
  const { GET } = await import("@/app/api/clusters/[cluster]/certificate/route");
  return GET(new Request(`http://sealdeck.test/api/clusters/${cluster}/certificate${search}`), {
    params: Promise.resolve({ cluster }),
  });
}

async function seal(name: string, values: Record<string, string>): Promise<SealedSecretManifest> {
  const key = await loadSealingKey(certificate.pem, { allowExpired: true });
  return buildSealedSecret(
    { name, namespace: "shop", entries: Object.entries(values).map(([k, value]) => ({ key: k, value })) },
    key,
    { scope: "strict" },
  );
}

beforeAll(async () => {
  fixture = await createGitFixture({ [SECRETS_FILE]: SHOP_DB });
  await prisma.setting.create({
    data: { key: "gitops.repositories", value: [{ provider: "plain-git", remote: fixture.remote }] },
  });
  sandbox = await startSandbox({ noDemo: true, quiet: true, gitopsRepo: fixture.remote, gitopsPollMs: 100 });
  inventory = new Inventory([...loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }), offline]);
  (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory = inventory;
  inventory.start();
  // The GitOps emulation applies the repository; the inventory then sees the secret and its Application.
  await eventually(async () => {
    inventory.flush();
    return inventory.get("sandbox/shop/SealedSecret/shop-db")?.application ? true : undefined;
  }, 600);
}, 120_000);
afterAll(async () => {
  inventory?.stop();
  await sandbox?.stop();
  if (fixture) {
    await removeProviderCache(fixture.remote);
    await fixture.cleanup();
  }
});

beforeEach(() => {
  session.principal = developer([
    { cluster: "sandbox", namespace: "shop" },
    { cluster: "offline", namespace: "shop" },
  ]);
});

describe("GET /api/clusters/[cluster]/certificate", () => {
  it("serves the controller's current certificate, uncached, with its fingerprints", async () => {
    const response = await getCertificate("sandbox");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    certificate = (await response.json()) as SealingCertificateResponse;
    const info = await parseCertificate(certificate.pem, { allowExpired: true });
    expect(certificate).toEqual({
      cluster: "sandbox",
      pem: expect.stringContaining("-----BEGIN CERTIFICATE-----"),
      fingerprintSha256: info.fingerprintSha256,
      publicKeySha256: info.publicKeySha256,
      notAfter: info.notAfter.toISOString(),
      expired: false,
      controller: { namespace: "kube-system", service: "sealed-secrets-controller" },
    });
    // The inventory's view of the controller agrees with what was served.
    expect(inventory.cluster("sandbox")?.status().controller?.certificate?.fingerprintSha256).toBe(
      info.fingerprintSha256,
    );
  });

  it("says clearly when a cluster is unknown or unreachable", async () => {
    // A grant on every cluster: otherwise an unknown cluster is simply not the user's (403).
    session.principal = developer([{ cluster: "*", namespace: "shop" }]);
    const unknown = await getCertificate("nowhere");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/No cluster named nowhere/);
    const unreachable = await getCertificate("offline");
    expect(unreachable.status).toBe(503);
    expect(unreachable.headers.get("cache-control")).toBe("no-store");
    expect(((await unreachable.json()) as { error: string }).error).toMatch(/offline is unreachable/);
  });

  it("needs the seal permission on that cluster (and namespace, when one is named)", async () => {
    session.principal = developer([{ cluster: "offline", namespace: "shop" }]);
    expect((await getCertificate("sandbox")).status).toBe(403);
    session.principal = developer([{ cluster: "sandbox", namespace: "shop" }]);
    expect((await getCertificate("sandbox", "?namespace=payments")).status).toBe(403);
    expect((await getCertificate("sandbox", "?namespace=shop")).status).toBe(200);
    session.principal = { ...developer([]), role: "auditor" };
    expect((await getCertificate("sandbox")).status).toBe(403);
    session.principal = null;
    expect((await getCertificate("sandbox")).status).toBe(401);
  });
});

describe("verifySealedManifests", () => {
  it("asks each cluster's controller: valid, invalid, or unreachable; each check audited", async () => {
    const { verifySealedManifests } = await import("./verify-sealed-manifests");
    const good = await seal("shop-db", { password: "correct horse" });
    // Sealed for another name (strict scope binds the name), then relabelled: the controller cannot open it.
    const moved = await seal("other-db", { password: "correct horse" });
    const renamed: SealedSecretManifest = {
      ...moved,
      metadata: { ...moved.metadata, name: "shop-db" },
      spec: {
        ...moved.spec,
        template: { ...moved.spec.template, metadata: { name: "shop-db", namespace: "shop" } },
      },
    };
    const before = (await query<{ n: string }>("SELECT count(*) AS n FROM audit_events"))[0]!.n;

    expect(await verifySealedManifests({ files: [{ cluster: "sandbox", manifest: good }] })).toEqual({
      ok: true,
      data: [{ cluster: "sandbox", outcome: "valid", message: "The controller can decrypt every value." }],
    });
    const mixed = await verifySealedManifests({
      files: [
        { cluster: "sandbox", manifest: renamed },
        { cluster: "offline", manifest: good },
      ],
    });
    expect(mixed).toMatchObject({
      ok: true,
      data: [
        { cluster: "sandbox", outcome: "invalid" },
        { cluster: "offline", outcome: "unreachable", message: expect.stringMatching(/unreachable/) },
      ],
    });

    const events = await query<{ action: string; outcome: string; target_cluster: string; details: object }>(
      `SELECT action, outcome, target_cluster, details FROM audit_events WHERE seq > ${before} ORDER BY seq`,
    );
    expect(events.map((e) => [e.action, e.outcome, e.target_cluster])).toEqual([
      ["secret.validate.requested", "pending", "sandbox"],
      ["secret.validate", "success", "sandbox"],
      ["secret.validate.requested", "pending", "sandbox"],
      ["secret.validate", "success", "sandbox"],
      ["secret.validate.requested", "pending", "offline"],
      ["secret.validate", "success", "offline"],
    ]);
    expect(events.map((e) => e.details).filter((d) => "outcome" in d)).toEqual([
      { outcome: "valid", keys: ["password"] },
      { outcome: "invalid", keys: ["password"] },
      { outcome: "unreachable", keys: ["password"] },
    ]);
    expect(JSON.stringify(events)).not.toContain(good.spec.encryptedData.password);
  });

  it("is refused for a cluster the user holds no grant on, even as the second file", async () => {
    const { verifySealedManifests } = await import("./verify-sealed-manifests");
    session.principal = developer([{ cluster: "sandbox", namespace: "shop" }]);
    const good = await seal("shop-db", { password: "x" });
    expect(
      await verifySealedManifests({
        files: [
          { cluster: "sandbox", manifest: good },
          { cluster: "offline", manifest: good },
        ],
      }),
    ).toMatchObject({ ok: false, status: 403 });
  });
});

describe("locateProposalFiles", () => {
  it("finds an existing secret under its Argo CD Application's path, and places a new one by template", async () => {
    const { locateProposalFiles } = await import("./locate-proposal-files");
    expect(await locateProposalFiles({ namespace: "shop", name: "shop-db", clusters: ["sandbox"] })).toEqual({
      ok: true,
      data: {
        repository: "default",
        files: [{ cluster: "sandbox", path: SECRETS_FILE, via: "argocd", exists: true, found: true }],
      },
    });
    expect(
      await locateProposalFiles({ namespace: "shop", name: "brand-new", clusters: ["sandbox", "offline"] }),
    ).toEqual({
      ok: true,
      data: {
        repository: "default",
        files: [
          {
            cluster: "sandbox",
            path: "sandbox/shop/brand-new.sealedsecret.yaml",
            via: "new",
            exists: false,
            found: false,
          },
          {
            cluster: "offline",
            path: "offline/shop/brand-new.sealedsecret.yaml",
            via: "new",
            exists: false,
            found: false,
          },
        ],
      },
    });
  });

  it("needs the propose permission in every cluster asked about", async () => {
    const { locateProposalFiles } = await import("./locate-proposal-files");
    session.principal = developer([{ cluster: "sandbox", namespace: "shop" }]);
    expect(
      await locateProposalFiles({ namespace: "shop", name: "shop-db", clusters: ["sandbox", "offline"] }),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      await locateProposalFiles({
        repository: "missing",
        namespace: "shop",
        name: "x",
        clusters: ["sandbox"],
      }),
    ).toMatchObject({
      ok: false,
      status: 404,
      error: expect.stringContaining('No repository "missing"'),
    });
  });
});

describe("adopting a SealedSecret that is in the cluster but in no file", () => {
  // Applied straight to the cluster (kubectl apply, say): the GitOps repository has never held it.
  const ORPHAN = "orphan-api";
  const orphanInput = async (adopt: boolean) => {
    const rotated = await seal(ORPHAN, { token: "a new token" });
    return {
      action: "rotate" as const,
      namespace: "shop",
      name: ORPHAN,
      scope: "strict" as const,
      keys: ["token"],
      files: [
        {
          cluster: "sandbox",
          certificateFingerprint: certificate.fingerprintSha256,
          manifest: rotated,
        },
      ],
      ...(adopt ? { adopt: true } : {}),
    };
  };
  let kept: string;

  beforeAll(async () => {
    const old = await seal(ORPHAN, { token: "the old token", endpoint: "https://api.example.test" });
    kept = old.spec.encryptedData.endpoint!;
    const api = kubeClient(sandbox.kubeconfig, { user: "sandbox-admin" });
    const created = await api.send("POST", "/apis/bitnami.com/v1alpha1/namespaces/shop/sealedsecrets", {
      body: {
        ...old,
        metadata: {
          ...old.metadata,
          annotations: {
            ...old.metadata.annotations,
            "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(old),
          },
          labels: { "sealdeck.io/owner": "shop-team" },
        },
      },
    });
    expect(created.status, created.body).toBe(201);
  });

  it("is found missing before anything is sealed, and a rotation without adopting is refused", async () => {
    const { locateProposalFiles } = await import("./locate-proposal-files");
    expect(
      await locateProposalFiles({ namespace: "shop", name: ORPHAN, clusters: ["sandbox"] }),
    ).toMatchObject({
      ok: true,
      data: { files: [{ cluster: "sandbox", via: "new", exists: false, found: false }] },
    });
    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    expect(await proposeSealedSecret(await orphanInput(false))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/does not exist on main; there is no SealedSecret there to rotate/),
    });
  });

  it("previews, then proposes the cluster's manifest with the new value merged in, in one pull request", async () => {
    const path = `sandbox/shop/${ORPHAN}.sealedsecret.yaml`;
    const input = await orphanInput(true);
    const { previewProposal } = await import("./preview-proposal");
    const preview = await previewProposal(input);
    expect(preview).toMatchObject({
      ok: true,
      data: { files: [{ cluster: "sandbox", path, beforeSource: "cluster" }] },
    });
    const [file] = preview.ok ? preview.data.files : [];
    // Before: the cluster's ciphertexts; after: the endpoint kept, the token replaced; nothing else.
    expect(file?.before).toContain(kept);
    expect(file?.after).toContain(kept);
    expect(file?.after).toContain(input.files[0]!.manifest.spec.encryptedData.token);
    for (const text of [file?.before ?? "", file?.after ?? ""]) {
      expect(text).not.toMatch(/last-applied|managedFields|resourceVersion|uid:|status:/);
      expect(text).toContain("sealdeck.io/owner: shop-team");
    }

    const { proposeSealedSecret } = await import("./propose-sealed-secret");
    const result = await proposeSealedSecret(input);
    expect(result).toMatchObject({ ok: true, data: { files: [{ cluster: "sandbox", path }] } });
    const branch = result.ok ? result.data.branch : "";
    expect(await fixture.read(branch, path)).toBe(file?.after);
    expect(await fixture.read("main", path)).toBeNull();
    expect((await fixture.log(branch, "%B")).join("\n")).toContain("Adopted from the cluster: sandbox");
    const [opened] = await query<{ details: { adoptedFrom?: string[] } }>(
      "SELECT details FROM audit_events WHERE action = 'pull_request.opened' ORDER BY seq DESC LIMIT 1",
    );
    expect(opened?.details.adoptedFrom).toEqual(["sandbox"]);
  });

  it("adopts only a SealedSecret the cluster has", async () => {
    const { previewProposal } = await import("./preview-proposal");
    const input = await orphanInput(true);
    const absent = await seal("never-applied", { token: "x" });
    expect(
      await previewProposal({
        ...input,
        name: "never-applied",
        files: [{ ...input.files[0]!, manifest: absent }],
      }),
    ).toMatchObject({
      ok: false,
      status: 404,
      error: expect.stringMatching(/neither in Git nor on cluster sandbox: there is nothing to adopt/),
    });
  });
});
