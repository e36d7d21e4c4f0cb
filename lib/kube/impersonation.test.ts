import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { runKubectl } from "@/sandbox/testing/run-kubectl";
import { checkKubeAccess } from "./check-kube-access";
import { filterByKubeRbac } from "./filter-by-kube-rbac";
import { forceSyncExternalSecret } from "./force-sync-external-secret";
import { getInventory, resetInventory } from "./inventory";
import { kubeIdentityFor } from "./kube-identity";
import { observeKubeRequests } from "./kube-request";
import { loadClusterRegistry } from "./load-cluster-registry";

vi.mock("server-only", () => ({}));

// SEALDECK_KUBE_ACCESS=impersonate against the sandbox, whose default policy binds the groups
// sealdeck:<role>: the cluster's RBAC, asked as the user, decides what each person sees and may do.
// The stock kubectl (`auth can-i --as`) is the independent witness of what the policy allows.

// Set before any import parses the environment (lib/config/env.ts reads it once; the logger does so
// as it loads), hence vi.hoisted.
vi.hoisted(() => {
  process.env.SEALDECK_KUBE_ACCESS = "impersonate";
});

let sandbox: Sandbox;
let kc: KubeConfig;
const principal = (role: Role, username: string = role): Principal => ({
  sessionId: "s",
  userId: "00000000-0000-4000-8000-000000000001",
  username,
  displayName: username,
  role,
  mustChangePassword: false,
  grants: [{ cluster: "*", namespace: "*" }],
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
  await sandbox.clusters[0]!.settle();
  process.env.KUBECONFIG = sandbox.kubeconfigPath;
  kc = loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath })[0]!.load();
}, 120_000);
afterAll(async () => {
  resetInventory();
  await sandbox?.stop();
});

async function kubectlCanI(user: string, group: string, args: string[]): Promise<boolean> {
  const result = await runKubectl(sandbox.kubeconfigPath, [
    "auth",
    "can-i",
    ...args,
    "--as",
    user,
    "--as-group",
    group,
  ]);
  return result.stdout.trim() === "yes";
}

describe("impersonation", () => {
  it("sends Impersonate-User and the role's group on every request made for the user", async () => {
    const seen: Record<string, string>[] = [];
    const stop = observeKubeRequests((request) => seen.push(request.headers));
    const identity = kubeIdentityFor(principal("developer"))!;
    expect(identity).toEqual({ user: "developer", groups: ["sealdeck:developer"] });
    await checkKubeAccess(kc, "sandbox", identity, {
      verb: "get",
      group: "",
      resource: "configmaps",
      namespace: "staging",
    });
    stop();
    expect(seen.at(-1)).toMatchObject({
      "Impersonate-User": "developer",
      "Impersonate-Group": "sealdeck:developer",
    });
  });

  it("answers access questions as the cluster does (kubectl auth can-i agrees)", async () => {
    const developer = kubeIdentityFor(principal("developer"))!;
    const cases = [
      {
        q: { verb: "list", group: "bitnami.com", resource: "sealedsecrets", namespace: "production" },
        kubectl: ["list", "sealedsecrets.bitnami.com", "-n", "production"],
      },
      {
        q: {
          verb: "patch",
          group: "external-secrets.io",
          resource: "externalsecrets",
          namespace: "production",
        },
        kubectl: ["patch", "externalsecrets.external-secrets.io", "-n", "production"],
      },
      {
        q: { verb: "patch", group: "external-secrets.io", resource: "externalsecrets", namespace: "staging" },
        kubectl: ["patch", "externalsecrets.external-secrets.io", "-n", "staging"],
      },
      {
        q: { verb: "get", group: "", resource: "secrets", namespace: "production" },
        kubectl: ["get", "secrets", "-n", "production"],
      },
    ];
    const answers = [];
    for (const c of cases) {
      const ours = await checkKubeAccess(kc, "sandbox", developer, c.q);
      expect(ours, JSON.stringify(c.q)).toBe(await kubectlCanI("developer", "sealdeck:developer", c.kubectl));
      answers.push(ours);
    }
    // Not vacuous: the policy allows some and refuses others.
    expect(answers).toEqual([true, false, true, false]);
  });

  it("lets the API server refuse an action the user's RBAC does not allow", async () => {
    const asDeveloper = { kc, as: kubeIdentityFor(principal("developer")) };
    await expect(
      forceSyncExternalSecret(asDeveloper, {
        cluster: "sandbox",
        kind: "ExternalSecret",
        namespace: "production",
        name: "stripe-credentials",
        version: "v1",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const asLead = { kc, as: kubeIdentityFor(principal("security-lead")) };
    await expect(
      forceSyncExternalSecret(asLead, {
        cluster: "sandbox",
        kind: "ExternalSecret",
        namespace: "production",
        name: "stripe-credentials",
        version: "v1",
      }),
    ).resolves.toMatch(/^\d+$/);
  });

  it("shows each user only the inventory records their RBAC lets them list", async () => {
    const inventory = getInventory();
    await inventory.ready(60_000);
    const records = inventory.list();
    expect(records.length).toBeGreaterThan(0);
    const lead = await filterByKubeRbac(records, principal("security-lead"));
    expect(lead).toHaveLength(records.length);
    const developer = await filterByKubeRbac(records, principal("developer"));
    const namespaces = new Set(developer.map((r) => r.namespace));
    expect(developer.length).toBeGreaterThan(0);
    expect(developer.length).toBeLessThan(records.length);
    for (const ns of namespaces) expect(["development", "staging", "production"]).toContain(ns);
    // ClusterExternalSecrets are cluster-scoped: the developer's namespaced rules do not cover them.
    expect(developer.some((r) => r.kind === "ClusterExternalSecret")).toBe(false);
    // A user the cluster knows nothing about sees nothing: deny by default.
    expect(await filterByKubeRbac(records, principal("admin", "stranger"))).toHaveLength(0);
  });
});
