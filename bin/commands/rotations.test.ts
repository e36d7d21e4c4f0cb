import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runSealdeck } from "@/bin/testing/run-sealdeck";
import { session } from "@/lib/testing/fake-session";
import { runCommandInProcess } from "@/lib/testing/run-command-in-process";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import type { RotationListResponse, RotationRow } from "@/lib/validations/rotation";
import { type Sandbox, startSandbox } from "@/sandbox/start-sandbox";
import rotations from "./rotations";

// `sealdeck rotations` as a CI pipeline runs it, against the in-process sandbox and a database of its
// own: its JSON holds the same rows as GET /api/rotations for the same estate, and --fail-on-overdue
// exits 3 exactly when a key is overdue and not waived. The process is spawned where its exit code is
// what is tested; the other runs call the command in this process, on the same environment.

vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

const database = setupMigratedDatabase({ appClient: true });
let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sealdeck-rotations-cli-"));
  sandbox = await startSandbox({ quiet: true, clusters: 1, kubeconfigPath: join(dataDir, "kubeconfig") });
  vi.stubEnv("KUBECONFIG", sandbox.kubeconfigPath);
  vi.stubEnv("DATABASE_URL", database.url);
  vi.stubEnv("SEALDECK_DATA_DIR", dataDir);
}, 60_000);

afterAll(async () => {
  const { resetInventory } = await import("@/lib/kube/inventory");
  resetInventory();
  vi.unstubAllEnvs();
  await sandbox?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runSealdeck(["rotations", ...args], {
    env: { KUBECONFIG: sandbox.kubeconfigPath, DATABASE_URL: database.url, SEALDECK_DATA_DIR: dataDir },
  });
const inProcess = (...args: string[]) => runCommandInProcess(rotations, args);

async function apiRows(): Promise<RotationRow[]> {
  session.principal = testPrincipal({
    userId: "u-lead",
    username: "lead",
    displayName: "Lead",
    role: "security-lead",
  });
  const { GET } = await import("@/app/api/rotations/route");
  const response = await GET(new Request("http://sealdeck.test/api/rotations?limit=5000"));
  expect(response.status).toBe(200);
  return ((await response.json()) as RotationListResponse).rows;
}

// What may differ between two reads a moment apart: when ESO last refreshed.
const stable = (rows: RotationRow[]) =>
  rows.map(({ refreshTime: _refreshTime, ...row }) => row).sort((a, b) => (a.id < b.id ? -1 : 1));

describe("sealdeck rotations", () => {
  it("prints the API's rows as JSON, and gates on overdue keys both ways", async () => {
    const first = await inProcess("--format", "json");
    expect(first.code, first.stderr).toBe(0);
    const rows = JSON.parse(first.stdout) as RotationRow[];
    expect(rows.length).toBeGreaterThan(0);
    expect(stable(rows)).toEqual(stable(await apiRows()));

    // A key last changed in Git long ago (the backfill's row) is overdue...
    const target = rows.find((row) => row.kind === "SealedSecret" && row.status !== "overdue")!;
    await database.prisma.gitKeyChange.create({
      data: {
        repository: "default",
        branch: "main",
        path: `sandbox/${target.namespace}/${target.name}.sealedsecret.yaml`,
        namespace: target.namespace!,
        name: target.name,
        key: target.key,
        commit: "0123456789abcdef0123456789abcdef01234567",
        committedAt: new Date("2025-01-02T03:04:05.000Z"),
        author: "Carol",
        valueHash: "c".repeat(64),
      },
    });
    // (a fresh process: the records' creation times are recent, so only the backdated key can be late)
    const gated = await cli("--format", "json", "--fail-on-overdue", "--namespace", target.namespace!);
    expect(gated.code, gated.stderr).toBe(3);
    const late = (JSON.parse(gated.stdout) as RotationRow[]).filter((row) => row.status === "overdue");
    expect(late.map((row) => row.id)).toContain(target.id);
    expect(late.find((row) => row.id === target.id)).toMatchObject({
      lastRotatedAt: "2025-01-02T03:04:05.000Z",
      evidence: { kind: "git-commit" },
    });

    // ...and once every overdue key is waived, the gate passes.
    for (const row of late)
      await database.prisma.rotationWaiver.create({
        data: {
          cluster: row.cluster,
          namespace: row.namespace!,
          kind: row.kind,
          name: row.name,
          key: row.key,
          until: new Date(Date.now() + 7 * 86_400_000),
          reason: "accepted for the test",
          createdBy: "lead",
        },
      });
    const waived = await inProcess("--fail-on-overdue", "--namespace", target.namespace!);
    expect(waived.code, waived.stderr).toBe(0);
    expect(waived.stdout).toMatch(/^STATUS\s+DUE/);
    expect(waived.stdout).toContain("waived");
  }, 240_000);

  it("refuses an unknown format as a usage error", async () => {
    const result = await cli("--format", "xml");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--format must be table, csv or json");
  }, 60_000);
});
