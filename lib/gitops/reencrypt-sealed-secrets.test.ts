import { createHash, createPrivateKey, type KeyObject } from "node:crypto";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseAllDocuments } from "yaml";

import type { Principal } from "@/lib/auth/principal";
import { Inventory } from "@/lib/kube/inventory";
import { loadClusterRegistry } from "@/lib/kube/load-cluster-registry";
import {
  REENCRYPTION_ANNOTATION,
  REENCRYPTION_TRAILER,
  SEALED_WITH_ANNOTATION,
  buildSealedSecret,
  isReencryptedCiphertext,
  parseReencryptionMarker,
  formatManifest,
  loadSealingKey,
  type SealedSecretManifest,
} from "@/lib/sealing";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";
import type { ReencryptionCandidates } from "@/lib/validations/reencryption";
import { unsealWithKeys } from "@/sandbox/sealed-secrets/hybrid-decrypt";
import { startSandbox, type Sandbox } from "@/sandbox/start-sandbox";
import { eventually, kubeClient } from "@/sandbox/testing/kube-request";

import { captureKubeTraffic, type KubeTrafficCapture } from "./testing/capture-kube-traffic";
import { createGitFixture, type GitFixture } from "./testing/git-fixture";
import { removeProviderCache } from "./testing/provider-cache-dir";

// Re-encryption against the sandbox (its controller's real /v1/rotate) and a real bare repository:
// two SealedSecrets sealed with the controller's first key, one with the renewed key, one whose key is
// unknown. Every request the app sends to the cluster goes through a capturing forwarder, and the
// repository's every object is read back: no plaintext may appear anywhere. The values are sealed
// here, as the browser would; the app only ever holds ciphertext.

vi.hoisted(() => {
  process.env.SEALDECK_KUBE_ACCESS = "impersonate";
});
vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const policyFile = join(process.cwd(), "sandbox/testing/impersonation-policy.yaml");
const PROXY = "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy";
const SECRETS_FILE = "apps/shop/secrets.yaml";
const LEGACY_FILE = "apps/shop/legacy.yaml";
const CURRENT_FILE = "apps/shop/current.yaml";
const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-settings
  namespace: shop
data:
  mode: live
`;
const VALUES = {
  "shop-db": { password: "re-encrypt-me-db-password-7f3a", user: "shop-user-b41c" },
  "shop-api": { token: "re-encrypt-me-api-token-92de" },
  "shop-legacy": { key: "unknown-key-legacy-value-55aa" },
  "shop-new": { key: "current-key-new-value-c0de" },
} as const;

const { prisma, query } = setupMigratedDatabase({ appClient: true });
let sandbox: Sandbox;
let fixture: GitFixture;
let capture: KubeTrafficCapture;
let inventory: Inventory;
let oldKey: string;
let newKey: string;
let privateKeys: Map<string, KeyObject>;
let originalSecrets: string;

const lead: Principal = testPrincipal({
  userId: "00000000-0000-4000-8000-000000000021",
  username: "sam",
  displayName: "Sam Lead",
  role: "security-lead",
});

async function seal(
  name: keyof typeof VALUES,
  pem: string,
  scope: "strict" | "namespace-wide" = "strict",
): Promise<SealedSecretManifest> {
  const key = await loadSealingKey(pem, { allowExpired: true });
  return buildSealedSecret(
    {
      name,
      namespace: "shop",
      entries: Object.entries(VALUES[name]).map(([k, value]) => ({ key: k, value })),
    },
    key,
    { scope },
  );
}

/** Every active sealing key of the sandbox controller: SPKI SHA-256 → private key. */
async function readPrivateKeys(): Promise<Map<string, KeyObject>> {
  const api = kubeClient(sandbox.kubeconfig);
  const items = (
    await api.send(
      "GET",
      "/api/v1/namespaces/kube-system/secrets?labelSelector=sealedsecrets.bitnami.com%2Fsealed-secrets-key%3Dactive",
    )
  ).json<{ items: { data: Record<string, string> }[] }>().items;
  const keys = new Map<string, KeyObject>();
  for (const item of items) {
    const pem = Buffer.from(item.data["tls.crt"]!, "base64").toString("utf8");
    const { certificate } = await loadSealingKey(pem, { allowExpired: true });
    keys.set(
      certificate.publicKeySha256,
      createPrivateKey(Buffer.from(item.data["tls.key"]!, "base64").toString("utf8")),
    );
  }
  return keys;
}

async function controllerCertificate(): Promise<string> {
  return (await kubeClient(sandbox.kubeconfig).send("GET", `${PROXY}/v1/cert.pem`)).body;
}

function leakForms(plaintext: string): string[] {
  const bytes = Buffer.from(plaintext, "utf8");
  return [plaintext, encodeURIComponent(plaintext), bytes.toString("base64"), bytes.toString("hex")];
}
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const plaintexts = Object.values(VALUES).flatMap((v) => Object.values(v) as string[]);

async function listing(): Promise<ReencryptionCandidates> {
  const { GET } = await import("@/app/api/clusters/[cluster]/reencryption/route");
  const response = await GET(new Request("http://sealdeck.test/api/clusters/sandbox/reencryption"), {
    params: Promise.resolve({ cluster: "sandbox" }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ReencryptionCandidates;
}

const everyone = [
  { namespace: "shop", name: "shop-api" },
  { namespace: "shop", name: "shop-db" },
  { namespace: "shop", name: "shop-legacy" },
  { namespace: "shop", name: "shop-new" },
];

beforeAll(async () => {
  fixture = await createGitFixture({ "apps/shop/settings.yaml": CONFIG_MAP });
  await prisma.setting.create({
    data: { key: "gitops.repositories", value: [{ provider: "plain-git", remote: fixture.remote }] },
  });
  sandbox = await startSandbox({
    noDemo: true,
    quiet: true,
    policyFile,
    gitopsRepo: fixture.remote,
    gitopsPollMs: 100,
  });
  const firstPem = await controllerCertificate();
  const db = await seal("shop-db", firstPem);
  const api = await seal("shop-api", firstPem, "namespace-wide");
  const legacy = await seal("shop-legacy", firstPem);
  delete legacy.metadata.annotations![SEALED_WITH_ANNOTATION];
  await sandbox.clusters[0]!.sealedSecrets.renewKey();
  const renewedPem = await controllerCertificate();
  expect(renewedPem).not.toBe(firstPem);
  const current = await seal("shop-new", renewedPem);
  oldKey = db.metadata.annotations![SEALED_WITH_ANNOTATION]!;
  newKey = current.metadata.annotations![SEALED_WITH_ANNOTATION]!;
  originalSecrets = `# Shop secrets: keep this comment\n${formatManifest(db, "yaml")}---\n${CONFIG_MAP}---\n${formatManifest(api, "yaml")}`;
  await fixture.push("main", {
    [SECRETS_FILE]: originalSecrets,
    [LEGACY_FILE]: formatManifest(legacy, "yaml"),
    [CURRENT_FILE]: formatManifest(current, "yaml"),
  });
  privateKeys = await readPrivateKeys();

  capture = await captureKubeTraffic(sandbox.kubeconfig, join(fixture.root, "captured-kubeconfig"));
  inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: capture.kubeconfigPath }));
  (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory = inventory;
  inventory.start();
  await eventually(async () => {
    inventory.flush();
    const records = everyone.map(({ name }) => inventory.get(`sandbox/shop/SealedSecret/${name}`));
    return records.every((r) => r?.health.status === "Healthy") ? true : undefined;
  }, 600);
  session.principal = lead;
}, 120_000);

afterAll(async () => {
  inventory?.stop();
  delete (globalThis as { sealdeckInventory?: Inventory }).sealdeckInventory;
  await capture?.close();
  await sandbox?.stop();
  if (fixture) {
    await removeProviderCache(fixture.remote);
    await fixture.cleanup();
  }
});

describe("GET /api/clusters/[cluster]/reencryption", () => {
  it("lists the SealedSecrets sealed with an older key, then the unknown ones, with their Application's repository", async () => {
    expect(await listing()).toEqual({
      cluster: "sandbox",
      newestKey: newKey,
      error: null,
      candidates: [
        { namespace: "shop", name: "shop-api", sealedWith: oldKey, status: "older", repository: "default" },
        { namespace: "shop", name: "shop-db", sealedWith: oldKey, status: "older", repository: "default" },
        {
          namespace: "shop",
          name: "shop-legacy",
          sealedWith: null,
          status: "unknown",
          repository: "default",
        },
      ],
      current: 1,
    });
  });
});

describe("reencryptSealedSecrets", () => {
  it("refuses before contacting the controller or Git when the audit log cannot be written", async () => {
    const { reencryptSealedSecrets } = await import("./actions/reencrypt-sealed-secrets");
    const before = capture.exchanges.length;
    const result = await withAuditLogUnavailable({ query }, () =>
      reencryptSealedSecrets({ cluster: "sandbox", secrets: everyone }),
    );
    expect(result).toMatchObject({ ok: false, status: 503 });
    expect(capture.exchanges.slice(before).filter((e) => e.path.includes("/v1/rotate"))).toEqual([]);
    expect(await fixture.branches()).toEqual(["main"]);
  });

  it("opens no branch in a repository where one SealedSecret cannot be re-encrypted", async () => {
    const { reencryptSealedSecrets } = await import("./actions/reencrypt-sealed-secrets");
    // Git's copy of shop-api no longer opens with any controller key (the cluster still has the good one).
    const broken = originalSecrets.replace(/token: \S+/, "token: AgBvYnZpb3VzbHktbm90LWEtY2lwaGVydGV4dA==");
    await fixture.push("main", { [SECRETS_FILE]: broken });
    const result = await reencryptSealedSecrets({ cluster: "sandbox", secrets: everyone });
    expect(result).toMatchObject({
      ok: true,
      data: {
        proposals: [
          {
            pullRequest: null,
            branch: null,
            error: expect.stringMatching(/No pull request was opened.*1 of 2.*shop\/shop-api/),
          },
        ],
      },
    });
    expect(await fixture.branches()).toEqual(["main"]);
    const failed = await query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_events ORDER BY seq DESC LIMIT 2",
    );
    expect(failed.reverse()).toEqual([
      { action: "secret.reencrypt.requested", outcome: "pending" },
      { action: "pull_request.failed", outcome: "failure" },
    ]);
    await fixture.push("main", { [SECRETS_FILE]: originalSecrets });
  });

  it("opens one pull request whose SealedSecrets open with the newest key only; no plaintext on the wire", async () => {
    const { reencryptSealedSecrets } = await import("./actions/reencrypt-sealed-secrets");
    const before = capture.exchanges.length;
    const seqBefore = (await query<{ n: string }>("SELECT coalesce(max(seq), 0) AS n FROM audit_events"))[0]!
      .n;

    const result = await reencryptSealedSecrets({ cluster: "sandbox", secrets: everyone });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const branch = `sealdeck/reencrypt/sandbox-${newKey.slice(0, 12)}`;
    expect(result.data).toEqual({
      cluster: "sandbox",
      newestKey: newKey,
      proposals: [
        {
          repository: expect.any(String),
          pullRequest: { number: 0, url: expect.stringContaining(branch) },
          branch,
          secrets: [
            { namespace: "shop", name: "shop-api", path: SECRETS_FILE },
            { namespace: "shop", name: "shop-db", path: SECRETS_FILE },
          ],
          error: null,
        },
      ],
      skipped: [
        { namespace: "shop", name: "shop-legacy", reason: expect.stringMatching(/unknown/) },
        { namespace: "shop", name: "shop-new", reason: expect.stringMatching(/newest key already/) },
      ],
    });

    // Exactly the older SealedSecrets changed, in place: the comment, the ConfigMap and the other files stay.
    const mainHead = (await fixture.head("main"))!;
    expect((await fixture.log(`${mainHead}..${branch}`)).length).toBe(1);
    expect(await fixture.read(branch, LEGACY_FILE)).toBe(await fixture.read("main", LEGACY_FILE));
    expect(await fixture.read(branch, CURRENT_FILE)).toBe(await fixture.read("main", CURRENT_FILE));
    const proposed = (await fixture.read(branch, SECRETS_FILE))!;
    expect(proposed.startsWith("# Shop secrets: keep this comment\n")).toBe(true);
    expect(proposed).toContain(CONFIG_MAP);
    const documents = parseAllDocuments(proposed).map((d) => d.toJS() as SealedSecretManifest);
    const newest = [privateKeys.get(newKey)!];
    const older = [...privateKeys].filter(([k]) => k !== newKey).map(([, v]) => v);
    expect(older.length).toBe(1);
    const labels = { "shop-db": "shop/shop-db", "shop-api": "shop" } as const;
    for (const name of ["shop-db", "shop-api"] as const) {
      const document = documents.find((d) => d.metadata.name === name)!;
      expect(document.metadata.annotations?.[SEALED_WITH_ANNOTATION]).toBe(newKey);
      expect(Object.keys(document.spec.encryptedData).sort()).toEqual(Object.keys(VALUES[name]).sort());
      // The re-encryption marker: the key move and the SHA-256 of exactly these new ciphertexts, so the
      // rotation watcher and the Git history backfill do not count them as rotations.
      expect(parseReencryptionMarker(document.metadata.annotations?.[REENCRYPTION_ANNOTATION])).toEqual({
        from: oldKey,
        to: newKey,
        sha256: Object.fromEntries(
          Object.entries(document.spec.encryptedData).map(([key, sealed]) => [key, sha256(sealed)]),
        ),
      });
      for (const [key, sealed] of Object.entries(document.spec.encryptedData))
        expect(isReencryptedCiphertext(document.metadata.annotations, key, sha256(sealed))).not.toBeNull();
      for (const [key, value] of Object.entries(VALUES[name])) {
        const sealed = document.spec.encryptedData[key]!;
        expect(unsealWithKeys(newest, sealed, labels[name]).toString("utf8")).toBe(value);
        expect(() => unsealWithKeys(older, sealed, labels[name])).toThrow();
      }
    }

    // The commit carries the trailer the Git history backfill reads (as git parses trailers).
    const { runGit: git } = await import("./run-git");
    const trailer = await git(
      ["log", "-1", `--format=%(trailers:key=${REENCRYPTION_TRAILER},valueonly)`, branch],
      { cwd: fixture.remote },
    );
    expect(trailer.stdout.trim()).toBe(`sandbox ${newKey}`);

    // The wire: two /v1/rotate calls, as the signed-in user, and no plaintext in any request or answer.
    const traffic = capture.exchanges.slice(before);
    const rotations = traffic.filter((e) => e.path === `${PROXY}/v1/rotate`);
    expect(rotations.map((e) => [e.method, e.status, e.requestHeaders["impersonate-user"]])).toEqual([
      ["POST", 200, "sam"],
      ["POST", 200, "sam"],
    ]);
    const wire = capture.exchanges
      .map(
        (e) =>
          `${e.method} ${e.path}\n${JSON.stringify(e.requestHeaders)}\n${e.requestBody}\n${e.responseBody}`,
      )
      .join("\n");
    expect(wire).toContain(documents.find((d) => d.metadata.name === "shop-db")!.spec.encryptedData.password);
    for (const plaintext of plaintexts)
      for (const form of leakForms(plaintext)) expect(wire, "plaintext on the wire").not.toContain(form);

    // The repository (every object) and the audit log hold no plaintext either.
    const { runGit } = await import("./run-git");
    const objects = await runGit(["log", "--all", "-p", "--format=%H %B"], { cwd: fixture.remote });
    const events = await query<Record<string, unknown>>(
      `SELECT action, outcome, target_cluster, pull_request_url, details FROM audit_events WHERE seq > ${seqBefore} ORDER BY seq`,
    );
    expect(events.map((e) => [e.action, e.outcome, e.target_cluster])).toEqual([
      ["secret.reencrypt.requested", "pending", "sandbox"],
      ["pull_request.opened", "success", "sandbox"],
    ]);
    for (const plaintext of plaintexts)
      for (const form of leakForms(plaintext)) {
        expect(objects.stdout).not.toContain(form);
        expect(JSON.stringify(events)).not.toContain(form);
      }
  });

  it("refuses a developer without a grant on the namespace", async () => {
    const { reencryptSealedSecrets } = await import("./actions/reencrypt-sealed-secrets");
    session.principal = testPrincipal({
      userId: "00000000-0000-4000-8000-000000000022",
      username: "dana",
      displayName: "Dana",
      role: "developer",
      grants: [{ cluster: "sandbox", namespace: "other" }],
    });
    try {
      expect(await reencryptSealedSecrets({ cluster: "sandbox", secrets: everyone })).toMatchObject({
        ok: false,
        status: 403,
      });
    } finally {
      session.principal = lead;
    }
  });
});
