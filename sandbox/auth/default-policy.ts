import "server-only";
import { randomBytes } from "node:crypto";
import type { Policy } from "./policy";

const readKinds = [
  "sealedsecrets",
  "externalsecrets",
  "clusterexternalsecrets",
  "secretstores",
  "clustersecretstores",
  "pushsecrets",
  "applications",
  "deployments",
  "statefulsets",
  "daemonsets",
  "cronjobs",
  "services",
  "configmaps",
  "events",
  "namespaces",
  "secrets",
];

function token(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Users for exploring access rules without a policy file: an admin (the kubeconfig's user), the
 * dashboard's least-privilege identity, a developer limited to two namespaces and a read-only auditor.
 * Tokens are random per start; the kubeconfig lists them as extra users.
 */
export function defaultPolicy(): Policy {
  return {
    users: [
      { name: "sandbox-admin", token: token(), groups: ["system:masters"] },
      { name: "sealdeck-dashboard", token: token(), groups: ["sealdeck:dashboard"] },
      { name: "developer", token: token(), groups: ["developers"] },
      { name: "auditor", token: token(), groups: ["auditors"] },
    ],
    rules: [
      { groups: ["system:masters"], verbs: ["*"], resources: ["*"] },
      {
        groups: ["system:masters"],
        verbs: ["impersonate"],
        resources: ["users", "groups", "serviceaccounts"],
      },
      // The dashboard lists and watches everything (Secrets as metadata only), force-syncs ExternalSecrets,
      // restarts workloads and talks to the sealing controller through the service proxy.
      // The same for a security lead when Sealdeck impersonates (SEALDECK_KUBE_ACCESS=impersonate sends
      // the group sealdeck:<role>); the developer and auditor rules below name their role groups too.
      {
        groups: ["sealdeck:dashboard", "sealdeck:security-lead"],
        verbs: ["get", "list", "watch"],
        resources: readKinds,
      },
      {
        groups: ["sealdeck:dashboard", "sealdeck:security-lead"],
        verbs: ["patch"],
        resources: ["externalsecrets", "deployments", "statefulsets", "daemonsets"],
      },
      {
        groups: ["sealdeck:dashboard", "sealdeck:security-lead"],
        verbs: ["get", "create"],
        resources: ["services/proxy"],
        namespaces: ["kube-system"],
      },
      {
        groups: ["developers", "sealdeck:developer"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        resources: readKinds.filter((r) => r !== "namespaces"),
        namespaces: ["development", "staging"],
      },
      {
        groups: ["developers", "sealdeck:developer"],
        verbs: ["get", "list", "watch"],
        resources: ["sealedsecrets", "externalsecrets", "deployments"],
        namespaces: ["production"],
      },
      {
        groups: ["developers", "sealdeck:developer"],
        verbs: ["get", "create"],
        resources: ["services/proxy"],
        namespaces: ["kube-system"],
      },
      {
        groups: ["auditors", "sealdeck:auditor"],
        verbs: ["get", "list", "watch"],
        resources: readKinds.filter((r) => r !== "secrets"),
      },
    ],
  };
}
