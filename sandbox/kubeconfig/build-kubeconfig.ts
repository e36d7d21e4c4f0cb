import "server-only";
import { stringify } from "yaml";
import type { Policy } from "../auth/policy";

/**
 * A kubeconfig with one context per cluster (`sandbox`, `sandbox-2`, ...), all using the admin token,
 * plus the other policy users (`--user developer`) for trying narrower access by hand. Each cluster
 * carries a `sealdeck.io/sandbox` extension so tools can tell it apart from a real cluster.
 */
export function buildKubeconfig(
  clusters: { name: string; url: string }[],
  caPem: string,
  policy: Policy,
  adminUser: string,
): string {
  const admin = policy.users.find((u) => u.name === adminUser) ?? policy.users[0];
  if (!admin) throw new Error("the sandbox policy has no users");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: clusters.map((c) => ({
      name: c.name,
      cluster: {
        server: c.url,
        "certificate-authority-data": Buffer.from(caPem).toString("base64"),
        extensions: [{ name: "sealdeck.io/sandbox", extension: { sandbox: true, provider: "sealdeck" } }],
      },
    })),
    contexts: clusters.map((c) => ({
      name: c.name,
      context: { cluster: c.name, user: admin.name, namespace: "default" },
    })),
    "current-context": clusters[0]?.name ?? "",
    users: [admin, ...policy.users.filter((u) => u !== admin)].map((u) => ({
      name: u.name,
      user: { token: u.token },
    })),
  });
}
