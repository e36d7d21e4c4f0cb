import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { createProvider, defaultGitopsRepository } from "@/lib/gitops/create-provider";
import { locateManifest } from "@/lib/gitops/locate-manifest";
import { repositoryUrls } from "@/lib/gitops/select-repository";
import { DEMO_ESTATE_TRAILER } from "@/sandbox/seed/demo-history";
import { openClusters, shouldUseSandbox } from "./open-clusters";

const run = promisify(execFile);

describe("shouldUseSandbox", () => {
  const env = parseEnv({});

  it("uses the user's kubeconfig when KUBECONFIG is set", () => {
    expect(shouldUseSandbox(env, { KUBECONFIG: "/home/me/.kube/prod" })).toBe(false);
  });

  it("uses the in-cluster service account inside a cluster", () => {
    expect(shouldUseSandbox(env, { KUBERNETES_SERVICE_HOST: "10.0.0.1" })).toBe(false);
  });

  it("uses the sandbox when SEALDECK_SANDBOX=1, whatever else is configured", () => {
    expect(shouldUseSandbox(parseEnv({ SEALDECK_SANDBOX: "1" }), { KUBECONFIG: "/home/me/.kube/prod" })).toBe(
      true,
    );
  });
});

describe("openClusters with the sandbox", () => {
  // openClusters loads the sandbox only when it starts one: load it before the timed test, as a static
  // import did.
  beforeAll(() => import("@/sandbox/start-sandbox"));

  it("creates the GitOps repository holding the demo estate, where a later Rotate finds it", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "sealdeck-launcher-"));
    try {
      const env = parseEnv({
        SEALDECK_SANDBOX: "1",
        SEALDECK_DATA_DIR: dataDir,
        SEALDECK_SANDBOX_CLUSTERS: "2",
      });
      const clusters = await openClusters(env, () => {});
      try {
        const repo = join(dataDir, "gitops");
        const git = async (...args: string[]) => (await run("git", ["-C", repo, ...args])).stdout;
        const files = await git("ls-tree", "-r", "--name-only", "main");
        for (const cluster of ["sandbox", "sandbox-2"])
          expect(files).toContain(`${cluster}/development/api-keys.sealedsecret.yaml`);
        expect(await git("log", "-1", "--format=%B", "main")).toContain(`${DEMO_ESTATE_TRAILER}: sandbox-2 `);
        // Checked out and clean, so a pull request (a branch) can be merged there.
        expect(await git("status", "--porcelain")).toBe("");
        expect(Number((await git("rev-list", "--count", "main")).trim())).toBeGreaterThan(20);

        // Sealdeck's own locate step (default repository settings, plain git) finds the SealedSecret to
        // merge a rotation into: under the cluster's Argo CD Application, and by the path template alone.
        const repository = defaultGitopsRepository(dataDir);
        const provider = createProvider(repository, {}, { cacheDir: join(dataDir, "cache") });
        const secret = { cluster: "sandbox-2", namespace: "development", name: "api-keys" };
        for (const application of [{ repoURL: `file://${repo}`, path: "sandbox-2" }, null]) {
          const located = await locateManifest({
            provider,
            repository: { ...repository, urls: repositoryUrls(repository) },
            secret,
            application,
          });
          expect(located.path).toBe("sandbox-2/development/api-keys.sealedsecret.yaml");
          expect(located.via).toBe(application ? "argocd" : "template");
          expect(located.target?.keys.sort()).toEqual(["MAPS_API_KEY", "SEARCH_API_KEY"]);
        }
      } finally {
        await clusters.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
