import { execFile } from "node:child_process";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { eventually, kubeClient } from "../testing/kube-request";

// A real git repository on disk: commits to main reach the cluster, removed files are pruned and
// manual drift is healed, as with an automated Argo CD Application.
const git = promisify(execFile);
let repo: string;
let sandbox: Sandbox;
let api: ReturnType<typeof kubeClient>;

async function commit(message: string) {
  await git("git", ["-C", repo, "add", "-A"]);
  await git("git", [
    "-C",
    repo,
    "-c",
    "user.name=test",
    "-c",
    "user.email=test@example.com",
    "commit",
    "-q",
    "-m",
    message,
  ]);
}

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: gitops-demo\ndata:\n  value: "${value}"\n`;
const readValue = async (name: string) => {
  const response = await api.send("GET", `/api/v1/namespaces/gitops-demo/configmaps/${name}`);
  return response.status === 200 ? response.json<{ data: { value: string } }>().data.value : "<missing>";
};
const app = async () =>
  (await api.send("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/sealdeck-gitops")).json<{
    status?: { sync: { status: string; revision?: string }; health: { status: string } };
  }>();

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "sandbox-gitops-"));
  await git("git", ["init", "-q", "-b", "main", repo]);
  await writeFile(join(repo, "app.yaml"), `${configMap("settings", "one")}---\n${configMap("extra", "x")}`);
  await commit("first");
  sandbox = await startSandbox({ noDemo: true, quiet: true, gitopsRepo: repo, gitopsPollMs: 100 });
  api = kubeClient(sandbox.kubeconfig);
});
afterAll(async () => {
  await sandbox?.stop();
  if (repo) await rm(repo, { recursive: true, force: true });
});

describe("gitops sync", () => {
  it("applies main, creating the namespace, and reports Synced/Healthy with the revision", async () => {
    await eventually(async () => ((await readValue("settings")) === "one" ? true : undefined));
    const head = (await git("git", ["-C", repo, "rev-parse", "main"])).stdout.trim();
    const status = await eventually(async () =>
      (await app()).status?.sync.revision === head ? (await app()).status : undefined,
    );
    expect(status).toMatchObject({ sync: { status: "Synced" }, health: { status: "Healthy" } });
  });

  it("applies a new commit and prunes what was removed from Git", async () => {
    await writeFile(join(repo, "app.yaml"), configMap("settings", "two"));
    await commit("second");
    await eventually(async () =>
      (await readValue("settings")) === "two" && (await readValue("extra")) === "<missing>"
        ? true
        : undefined,
    );
  });

  it("heals manual drift back to what Git says", async () => {
    await api.send("PATCH", "/api/v1/namespaces/gitops-demo/configmaps/settings", {
      body: { data: { value: "edited-by-hand" } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    await eventually(async () => ((await readValue("settings")) === "two" ? true : undefined));
  });

  it("keeps what the cluster added and Git does not say, as Argo CD's diff does", async () => {
    // What `kubectl rollout restart` does to a pod template: add a field no manifest declares.
    await api.send("PATCH", "/api/v1/namespaces/gitops-demo/configmaps/settings", {
      body: { data: { added: "by-the-cluster" } },
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    // A later commit applied means a sync pass ran after the change.
    await writeFile(join(repo, "later.yaml"), configMap("later", "y"));
    await commit("later");
    await eventually(async () => ((await readValue("later")) === "y" ? true : undefined));
    const settings = await api.send("GET", "/api/v1/namespaces/gitops-demo/configmaps/settings");
    expect(settings.json<{ data: Record<string, string> }>().data).toEqual({
      value: "two",
      added: "by-the-cluster",
    });
  });

  it("reports OutOfSync/Degraded when a manifest cannot be applied", async () => {
    await writeFile(
      join(repo, "broken.yaml"),
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: gitops-demo\n",
    );
    await commit("pods are not served");
    const status = await eventually(async () =>
      (await app()).status?.health.status === "Degraded" ? (await app()).status : undefined,
    );
    expect(status?.sync.status).toBe("OutOfSync");
    await unlink(join(repo, "broken.yaml"));
    await commit("fix");
    await eventually(async () => ((await app()).status?.health.status === "Healthy" ? true : undefined));
  });
});
