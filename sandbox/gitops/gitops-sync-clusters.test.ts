import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { eventually, kubeClient } from "../testing/kube-request";

// Several sandbox clusters share one GitOps repository: each applies only its own folder, as the
// default path template `{cluster}/{namespace}/{name}.sealedsecret.yaml` lays files out.
const git = promisify(execFile);
let repo: string;
let sandbox: Sandbox;

const configMap = (value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: gitops-demo\ndata:\n  value: "${value}"\n`;

async function commitAll(message: string) {
  await git("git", ["-C", repo, "add", "-A"]);
  await git("git", [
    "-C",
    repo,
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.com",
    "commit",
    "-q",
    "-m",
    message,
  ]);
}

const readValue = async (cluster: string) => {
  const response = await kubeClient(sandbox.kubeconfig, { cluster }).send(
    "GET",
    "/api/v1/namespaces/gitops-demo/configmaps/settings",
  );
  return response.status === 200 ? response.json<{ data: { value: string } }>().data.value : "<missing>";
};

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "sandbox-gitops-clusters-"));
  await git("git", ["init", "-q", "-b", "main", repo]);
  await mkdir(join(repo, "sandbox", "gitops-demo"), { recursive: true });
  await mkdir(join(repo, "sandbox-2", "gitops-demo"), { recursive: true });
  await writeFile(join(repo, "sandbox", "gitops-demo", "settings.yaml"), configMap("first"));
  await writeFile(join(repo, "sandbox-2", "gitops-demo", "settings.yaml"), configMap("second"));
  await commitAll("one folder per cluster");
  sandbox = await startSandbox({
    noDemo: true,
    quiet: true,
    clusters: 2,
    gitopsRepo: repo,
    gitopsPollMs: 100,
  });
});
afterAll(async () => {
  await sandbox?.stop();
  if (repo) await rm(repo, { recursive: true, force: true });
});

describe("gitops sync with several clusters", () => {
  it("applies each cluster's own folder to it, and only that", async () => {
    await eventually(async () =>
      (await readValue("sandbox")) === "first" && (await readValue("sandbox-2")) === "second"
        ? true
        : undefined,
    );
  });

  it("points each cluster's Application at its folder", async () => {
    for (const cluster of ["sandbox", "sandbox-2"]) {
      const app = await kubeClient(sandbox.kubeconfig, { cluster }).send(
        "GET",
        "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/sealdeck-gitops",
      );
      expect(app.json<{ spec: { source: { path: string } } }>().spec.source.path).toBe(cluster);
    }
  });

  it("a change in one folder reaches only that cluster", async () => {
    await writeFile(join(repo, "sandbox-2", "gitops-demo", "settings.yaml"), configMap("second-v2"));
    await commitAll("change the second cluster only");
    await eventually(async () => ((await readValue("sandbox-2")) === "second-v2" ? true : undefined));
    expect(await readValue("sandbox")).toBe("first");
  });
});
