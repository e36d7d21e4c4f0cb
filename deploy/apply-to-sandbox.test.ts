import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@/sandbox/start-sandbox";
import { kubectlOk, runKubectl } from "@/sandbox/testing/run-kubectl";
import {
  type ClusterRoleRule,
  overlayDir,
  overlays,
  renderedClusterRole,
  renderOverlay,
  SEALDECK_USER,
} from "./render-overlay";

// Issue #19: every overlay goes through the stock kubectl as an operator would run it against a real
// cluster: `kubectl apply --dry-run=server -k` (discovery, OpenAPI, the server's validation, nothing
// stored), then `kubectl apply -k`, then again (nothing left to change). The ClusterRole that lands in
// the cluster is the one deploy/rbac.test.ts enforces for Sealdeck's service account.

const dir = mkdtempSync(join(tmpdir(), "sealdeck-apply-"));
let sandbox: Sandbox;
let kubeconfig: string;
const kubectl = (...args: string[]) => kubectlOk(kubeconfig, args);
/** What `kubectl get` shows of Sealdeck's objects in its namespace ("" when there are none). */
const sealdeckObjects = async () =>
  (
    await kubectl(
      "get",
      "deploy,sa,svc,cm,netpol,pdb,clusters.postgresql.cnpg.io",
      "-n",
      "sealdeck",
      "-o",
      "name",
    )
  ).trim();

beforeAll(async () => {
  sandbox = await startSandbox({
    quiet: true,
    noDemo: true,
    clusters: 1,
    kubeconfigPath: join(dir, "kubeconfig"),
  });
  kubeconfig = sandbox.kubeconfigPath;
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("kubectl apply -k deploy/overlays/* against the sandbox", () => {
  it("a server dry run before the namespace exists fails as on a real API server, and stores nothing", async () => {
    const result = await runKubectl(kubeconfig, ["apply", "--dry-run=server", "-k", overlayDir("single")]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/namespace\/sealdeck created \(server dry run\)/);
    expect(result.stderr).toMatch(/namespaces "sealdeck" not found/);
    expect((await runKubectl(kubeconfig, ["get", "namespace", "sealdeck"])).stderr).toMatch(/NotFound/);
  });

  it.each(overlays)(
    "%s: validates with --dry-run=server without storing, applies, and re-applies unchanged",
    async (overlay) => {
      // The Secret `sealdeck` goes in first (deploy/base/kustomization.yaml), so the namespace exists.
      await runKubectl(kubeconfig, ["create", "namespace", "sealdeck"]);
      const before = await sealdeckObjects();
      const objects = renderOverlay(overlay);

      const dryRun = await kubectl("apply", "--dry-run=server", "-k", overlayDir(overlay));
      const dryLines = dryRun.trim().split("\n");
      expect(dryLines).toHaveLength(objects.length);
      for (const line of dryLines)
        expect(line).toMatch(/ (created|configured|unchanged) \(server dry run\)$/);
      expect(await sealdeckObjects()).toBe(before);

      const applied = await kubectl("apply", "-k", overlayDir(overlay));
      for (const object of objects)
        expect(applied).toMatch(
          new RegExp(
            `^${object.kind.toLowerCase()}[./][^ ]*\\b${object.metadata.name} (created|configured|unchanged)$`,
            "m",
          ),
        );
      // The live objects are what the overlay renders: kubectl diff (a server dry run of each) finds nothing.
      const diff = await runKubectl(kubeconfig, ["diff", "-k", overlayDir(overlay)]);
      expect(diff.stdout).toBe("");
      expect(diff.code).toBe(0);
      // Nothing left to change. A PodDisruptionBudget reads "configured" on every apply, on real
      // clusters too: its selector's patch strategy is "replace", so kubectl's patch is never empty.
      const again = await kubectl("apply", "-k", overlayDir(overlay));
      for (const line of again.trim().split("\n"))
        expect(line).toMatch(/^poddisruptionbudget\.policy\/sealdeck configured$| unchanged$/);
      expect(
        await kubectl("get", "deploy", "sealdeck", "-n", "sealdeck", "-o", "jsonpath={.spec.replicas}"),
      ).toBe(overlay === "single" || overlay === "impersonate" ? "1" : "3");
    },
    120_000,
  );

  it("the applied ClusterRole is the one deploy/rbac.test.ts enforces, bound to Sealdeck's service account", async () => {
    const role = JSON.parse(await kubectl("get", "clusterrole", "sealdeck", "-o", "json")) as {
      rules: ClusterRoleRule[];
    };
    expect(role.rules).toEqual(renderedClusterRole("single", "sealdeck"));
    const binding = JSON.parse(await kubectl("get", "clusterrolebinding", "sealdeck", "-o", "json")) as {
      roleRef: { kind: string; name: string };
      subjects: { kind: string; name: string; namespace: string }[];
    };
    expect(binding.roleRef).toMatchObject({ kind: "ClusterRole", name: "sealdeck" });
    expect(binding.subjects.map((s) => `system:serviceaccount:${s.namespace}:${s.name}`)).toEqual([
      SEALDECK_USER,
    ]);
    // The impersonate overlay's extra role, applied above, adds impersonation and nothing else.
    const impersonate = JSON.parse(
      await kubectl("get", "clusterrole", "sealdeck-impersonate", "-o", "json"),
    ) as { rules: ClusterRoleRule[] };
    expect(impersonate.rules).toEqual(renderedClusterRole("impersonate", "sealdeck-impersonate"));
    for (const rule of impersonate.rules) expect(rule.verbs).toEqual(["impersonate"]);
  });
});
