import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { runSealdeck } from "@/bin/testing/run-sealdeck";
import { runCommandInProcess } from "@/lib/testing/run-command-in-process";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { type Sandbox, startSandbox } from "@/sandbox/start-sandbox";
import recovery, { type RecoveryReport } from "./recovery";

// `sealdeck recovery` as an on-call script runs it: exit 0 with or without incidents, a stable JSON
// document, and the lost-key incident with the SealedSecrets it broke once the sandbox lost its keys.
// The process is spawned where what it prints and exits with is tested; the JSON documents' contents
// are read from the command run in this process, on the same environment.

const database = setupMigratedDatabase({ appClient: true });
const interop = join(process.cwd(), "lib/sealing/testdata/interop");
let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sealdeck-recovery-cli-"));
  const seed = join(dataDir, "seed");
  const [crt, key] = await Promise.all([
    readFile(join(interop, "tls.crt")),
    readFile(join(interop, "tls.key")),
  ]);
  await mkdir(seed);
  await writeFile(
    join(seed, "objects.yaml"),
    [
      ...["production", "staging", "development"].map((name) => ({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name },
      })),
      {
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name: "vault", namespace: "staging" },
        spec: { provider: { fake: { data: [{ key: "/api", value: "demo-value-protecting-nothing" }] } } },
      },
      ...[
        ["api-token", "2031-01-01T00:00:00Z"],
        ["db-token", "2030-06-01T00:00:00Z"],
      ].map(([name, expires]) => ({
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: {
          name,
          namespace: "staging",
          annotations: { "sealdeck.io/credential-expires-at": expires },
        },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { name: "vault", kind: "SecretStore" },
          target: { name },
          data: [{ secretKey: "token", remoteRef: { key: "/api" } }],
        },
      })),
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "sealed-secrets-key-restored",
          namespace: "kube-system",
          labels: { "sealedsecrets.bitnami.com/sealed-secrets-key": "active" },
        },
        type: "kubernetes.io/tls",
        data: { "tls.crt": crt.toString("base64"), "tls.key": key.toString("base64") },
      },
    ]
      .map((o) => stringify(o))
      .join("---\n"),
  );
  await writeFile(join(seed, "sealed-secrets.yaml"), await readFile(join(interop, "sealed-secrets.yaml")));
  sandbox = await startSandbox({
    quiet: true,
    noDemo: true,
    seedDirs: [seed],
    kubeconfigPath: join(dataDir, "kubeconfig"),
  });
  await sandbox.clusters[0]!.settle();
  vi.stubEnv("KUBECONFIG", sandbox.kubeconfigPath);
  vi.stubEnv("DATABASE_URL", database.url);
  vi.stubEnv("SEALDECK_DATA_DIR", dataDir);
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await sandbox?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runSealdeck(["recovery", ...args], {
    env: { KUBECONFIG: sandbox.kubeconfigPath, DATABASE_URL: database.url, SEALDECK_DATA_DIR: dataDir },
  });
const inProcess = (...args: string[]) => runCommandInProcess(recovery, args);

describe("sealdeck recovery", () => {
  it("prints no incident while every key is there, then the lost-key incident, exit 0 both times", async () => {
    const before = await inProcess("--format", "json");
    expect(before.code, before.stderr).toBe(0);
    const empty = JSON.parse(before.stdout) as RecoveryReport;
    expect(empty).toMatchObject({ schemaVersion: 1, incidents: [], campaigns: [] });
    expect(Object.keys(empty).sort()).toEqual(["campaigns", "generatedAt", "incidents", "schemaVersion"]);

    await sandbox.clusters[0]!.sealedSecrets.replaceKeys();
    sandbox.clusters[0]!.externalSecrets.setStoreReachable(
      { kind: "SecretStore", namespace: "staging", name: "vault" },
      false,
    );
    await sandbox.clusters[0]!.settle();
    const after = await inProcess("--format", "json", "--cluster", "sandbox");
    expect(after.code, after.stderr).toBe(0);
    const report = JSON.parse(after.stdout) as RecoveryReport;
    expect(report.incidents.map((i) => i.kind)).toEqual(["key-loss", "store-unreachable"]);
    const [incident, outage] = report.incidents;
    if (incident?.kind !== "key-loss" || outage?.kind !== "store-unreachable") throw new Error("kinds");
    // The store's dependants come soonest credential deadline first.
    expect(outage.dependants.map((d) => [d.name, d.deadline])).toEqual([
      ["db-token", "2030-06-01T00:00:00.000Z"],
      ["api-token", "2031-01-01T00:00:00.000Z"],
    ]);
    expect(incident).toMatchObject({ kind: "key-loss", cluster: "sandbox", workloadCount: 0 });
    expect(incident.secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      "development/shared-registry",
      "production/checkout-secrets",
      "staging/agent-secrets",
    ]);

    const table = await cli();
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("key-loss  cluster sandbox  3 SealedSecrets");
    expect(table.stdout).toContain(
      "  production/checkout-secrets  owner -  keys PAYMENT_API_KEY,STRIPE_WEBHOOK_SECRET",
    );
    expect(table.stdout).toContain(
      "  restore: kubectl --context sandbox apply -n kube-system -f sealed-secrets-key-backup.yaml",
    );
    expect(table.stdout).toContain(
      "store-unreachable  cluster sandbox  SecretStore/staging/vault  2 ExternalSecrets",
    );
  }, 240_000);

  it("refuses an unknown cluster with exit 1", async () => {
    const missing = await cli("--cluster", "nowhere");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no cluster named "nowhere"');
  }, 120_000);
});
