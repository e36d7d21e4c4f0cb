import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

// Test helper: deploy/ as `kubectl kustomize` renders it (no other tool), shared by the deploy tests.

export const repo = fileURLToPath(new URL("..", import.meta.url));
export const overlays = ["single", "ha", "impersonate", "external-postgres"] as const;
export const overlayDir = (overlay: string) => join(repo, "deploy", "overlays", overlay);

/** Sealdeck's identity in the cluster: the service account deploy/base binds its ClusterRole to. */
export const SEALDECK_USER = "system:serviceaccount:sealdeck:sealdeck";

export type ClusterRoleRule = {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
};

export type RenderedObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
};

export function renderOverlay(overlay: string): RenderedObject[] {
  const yaml = execFileSync("kubectl", ["kustomize", overlayDir(overlay)], { encoding: "utf8" });
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as RenderedObject);
}

/** The ClusterRole `name` as `kubectl kustomize` renders the overlay. */
export function renderedClusterRole(overlay: string, name: string): ClusterRoleRule[] {
  const role = renderOverlay(overlay).find((o) => o.kind === "ClusterRole" && o.metadata.name === name) as
    (RenderedObject & { rules?: ClusterRoleRule[] }) | undefined;
  if (!role?.rules) throw new Error(`no ClusterRole ${name} in overlay ${overlay}`);
  return role.rules;
}
