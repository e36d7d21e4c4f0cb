import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { envSchema } from "@/lib/config/env";

// Issue #19: every overlay renders with plain `kubectl kustomize`, and what it renders keeps the
// promises of docs/operations.md (non-root, read-only root filesystem, probes, resources, secrets only
// referenced, the overlay's own difference).

const repo = fileURLToPath(new URL("..", import.meta.url));
const overlays = ["single", "ha", "impersonate", "external-postgres"] as const;

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
};
type Container = {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  securityContext?: Record<string, unknown>;
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
};
type Deployment = Obj & {
  spec: {
    replicas: number;
    template: {
      spec: {
        serviceAccountName: string;
        securityContext: Record<string, unknown>;
        initContainers: Container[];
        containers: Container[];
        affinity?: { podAntiAffinity?: unknown };
        topologySpreadConstraints?: unknown[];
        volumes: { name: string; emptyDir?: unknown }[];
      };
    };
  };
};

function render(overlay: string): Obj[] {
  const yaml = execFileSync("kubectl", ["kustomize", join(repo, "deploy", "overlays", overlay)], {
    encoding: "utf8",
  });
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as Obj);
}

const find = <T extends Obj>(objects: Obj[], kind: string, name = "sealdeck") =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;

describe.each(overlays)("deploy/overlays/%s", (overlay) => {
  const objects = render(overlay);
  const deployment = find<Deployment>(objects, "Deployment")!;
  const pod = deployment.spec.template.spec;

  it("puts every namespaced object, the overlay's own included, in the sealdeck namespace", () => {
    const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);
    const misplaced = objects
      .filter((o) => !clusterScoped.has(o.kind) && o.metadata.namespace !== "sealdeck")
      .map((o) => `${o.kind}/${o.metadata.name} in ${o.metadata.namespace ?? "(none)"}`);
    expect(misplaced).toEqual([]);
  });

  it("runs the image as a non-root user on a read-only root filesystem, writing only to /tmp", () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(Number(pod.securityContext.runAsUser)).toBeGreaterThan(0);
    for (const container of [...pod.initContainers, ...pod.containers]) {
      expect(container.image).toMatch(/^ghcr\.io\/sealdeck\/sealdeck:/);
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(container.resources?.requests?.memory).toBeDefined();
      expect(container.resources?.limits?.memory).toBeDefined();
    }
    expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }]);
  });

  it("migrates in an init container, then serves with readiness on /api/readyz and liveness on /api/healthz", () => {
    expect(pod.initContainers.map((c) => c.args)).toEqual([["db", "migrate"]]);
    const [web] = pod.containers;
    expect(web?.args).toEqual(["start"]);
    expect(web?.readinessProbe?.httpGet?.path).toBe("/api/readyz");
    expect(web?.livenessProbe?.httpGet?.path).toBe("/api/healthz");
    expect(pod.topologySpreadConstraints?.length).toBeGreaterThan(0);
    expect(pod.serviceAccountName).toBe("sealdeck");
  });

  it("takes settings from the ConfigMap (known variables only) and secrets from the Secret it references", () => {
    const config = find<Obj & { data: Record<string, string> }>(objects, "ConfigMap")!;
    // The launcher reads the runtime role's name and password itself (bin/launcher/resolve-app-database-url.ts).
    const known = [
      ...Object.keys(envSchema.shape),
      "SEALDECK_DATABASE_APP_ROLE",
      "SEALDECK_DATABASE_APP_PASSWORD",
    ];
    expect(Object.keys(config.data).filter((key) => !known.includes(key))).toEqual([]);
    for (const container of [...pod.initContainers, ...pod.containers]) {
      expect(container.envFrom).toEqual([
        { configMapRef: { name: "sealdeck" } },
        { secretRef: { name: "sealdeck" } },
      ]);
      for (const variable of container.env ?? []) expect(known).toContain(variable.name);
    }
    // Secrets are referenced, never rendered: the manifests hold no credential.
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
  });

  it("binds the least-privilege ClusterRole to the service account, with a NetworkPolicy for both directions", () => {
    const binding = find<Obj & { subjects: unknown[]; roleRef: { name: string } }>(
      objects,
      "ClusterRoleBinding",
    )!;
    expect(binding.roleRef.name).toBe("sealdeck");
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "sealdeck", namespace: "sealdeck" }]);
    const role = find<Obj & { rules: { verbs: string[] }[] }>(objects, "ClusterRole")!;
    expect(role.rules.flatMap((r) => r.verbs)).not.toContain("impersonate");
    expect(role.rules.flatMap((r) => r.verbs)).not.toContain("*");
    const policy = find<Obj & { spec: { policyTypes: string[] } }>(objects, "NetworkPolicy")!;
    expect(policy.spec.policyTypes).toEqual(["Ingress", "Egress"]);
  });

  const expectations: Record<(typeof overlays)[number], () => void> = {
    single: () => {
      expect(deployment.spec.replicas).toBe(1);
      expect(find(objects, "PodDisruptionBudget")).toBeUndefined();
    },
    ha: () => {
      expect(deployment.spec.replicas).toBe(3);
      expect(find(objects, "PodDisruptionBudget")).toMatchObject({ spec: { maxUnavailable: 1 } });
      expect(pod.affinity?.podAntiAffinity).toBeDefined();
    },
    impersonate: () => {
      const config = find<Obj & { data: Record<string, string> }>(objects, "ConfigMap")!;
      expect(config.data.SEALDECK_KUBE_ACCESS).toBe("impersonate");
      expect(find(objects, "ClusterRole", "sealdeck-impersonate")).toMatchObject({
        rules: [{ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }],
      });
    },
    "external-postgres": () => {
      expect(find(objects, "Cluster", "sealdeck-db")).toMatchObject({ apiVersion: "postgresql.cnpg.io/v1" });
      for (const container of [...pod.initContainers, ...pod.containers]) {
        expect(container.env).toContainEqual({
          name: "DATABASE_URL",
          valueFrom: { secretKeyRef: { name: "sealdeck-db-app", key: "uri" } },
        });
      }
      expect(pod.containers[0]?.env).toContainEqual({
        name: "SEALDECK_DATABASE_APP_ROLE",
        value: "sealdeck_app",
      });
      expect(deployment.spec.replicas).toBe(3);
    },
  };
  it("has what sets this overlay apart", () => expectations[overlay]());
});

describe("deploy/examples/sealed-secret.yaml", () => {
  it("is a SealedSecret for the Secret the Deployment reads, marked as an example sealed with the test certificate", () => {
    const text = readFileSync(join(repo, "deploy", "examples", "sealed-secret.yaml"), "utf8");
    expect(text).toMatch(/^# EXAMPLE ONLY/);
    expect(text).toContain("PUBLISHED TEST certificate");
    const [sealed] = parseAllDocuments(text).map(
      (doc) => doc.toJS() as Obj & { spec: { encryptedData: object } },
    );
    expect(sealed).toMatchObject({
      kind: "SealedSecret",
      metadata: { name: "sealdeck", namespace: "sealdeck" },
    });
    expect(Object.keys(sealed!.spec.encryptedData).sort()).toEqual([
      "DATABASE_URL",
      "NEXTAUTH_SECRET",
      "SEALDECK_AUDIT_SIGNING_KEY",
      "SEALDECK_DATABASE_APP_PASSWORD",
      "SEALDECK_OIDC_CLIENT_SECRET",
    ]);
  });
});
