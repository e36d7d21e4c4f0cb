import "server-only";
import { isDeepStrictEqual } from "node:util";
import type { ClusterContext } from "../server/cluster-context";
import type { KubeObject } from "../server/kube-object";
import { isRecord, nowIso } from "../server/kube-object";
import { prepareObject } from "../server/prepare-object";
import type { ResourceKind } from "../server/resource-kinds";
import { findKindByApiVersion, preferredKind, storedKinds } from "../server/resource-kinds";
import { readMainRevision, readManifestsAt } from "./read-git-manifests";

export const gitopsApplication = { namespace: "argocd", name: "sealdeck-gitops" };
/** Argo CD's default tracking label: what the sync owns, and so what it may prune. */
const trackingLabel = "app.kubernetes.io/instance";

const applications = preferredKind("argoproj.io", "Application");
const namespaces = preferredKind("", "Namespace");

/** Whether every field the manifest sets has that value live (fields the cluster adds are ignored). */
function contains(live: unknown, desired: unknown): boolean {
  // A field the comparison leaves out (undefined) is no drift: otherwise every poll "heals", wiping
  // what the cluster adds and the manifest does not say (a rollout restart's pod-template annotations).
  if (isRecord(desired))
    return (
      isRecord(live) && Object.entries(desired).every(([k, v]) => v === undefined || contains(live[k], v))
    );
  return isDeepStrictEqual(live, desired);
}

type Desired = { kind: ResourceKind; object: KubeObject };

/**
 * Argo CD with automated sync, prune and self-heal, for one local repository (or one folder of it, so
 * several sandbox clusters can share a repository with a folder each): every poll reads `main`
 * with the git CLI, applies what changed or drifted, deletes what it applied before and is gone now,
 * and reports sync and health on the `argocd/sealdeck-gitops` Application.
 */
export async function startGitopsSync(
  context: ClusterContext,
  /** `path`: the folder this cluster applies (the Application's `source.path`); default the whole repository. */
  options: { repo: string; pollMs: number; log: (line: string) => void; path?: string },
): Promise<() => void> {
  const { store } = context;
  if (!store.get(namespaces, "", gitopsApplication.namespace)) {
    store.create(namespaces, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: gitopsApplication.namespace },
    });
  }
  const appSpec = {
    project: "default",
    source: { repoURL: `file://${options.repo}`, targetRevision: "main", path: options.path ?? "." },
    destination: { server: "https://kubernetes.default.svc" },
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
  };
  if (!store.get(applications, gitopsApplication.namespace, gitopsApplication.name)) {
    store.create(applications, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { ...gitopsApplication },
      spec: appSpec,
    });
  }
  let revision: string | undefined;
  let desired: Desired[] = [];
  let parseErrors: string[] = [];
  let lastError: string | undefined;
  let running = false;

  const setStatus = (status: Record<string, unknown>) => {
    const app = store.get(applications, gitopsApplication.namespace, gitopsApplication.name);
    if (!app) return;
    const { reconciledAt: _a, ...before } = isRecord(app.status) ? app.status : {};
    if (isDeepStrictEqual(before, status)) return;
    store.update(applications, {
      ...app,
      metadata: { ...app.metadata, resourceVersion: undefined },
      status: { ...status, reconciledAt: nowIso() },
    });
  };

  const sync = async () => {
    const head = await readMainRevision(options.repo);
    if (!head) {
      setStatus({
        sync: { status: "Unknown" },
        health: { status: "Missing" },
        conditions: [{ type: "ComparisonError", message: `no main branch in ${options.repo}` }],
      });
      return;
    }
    if (head !== revision) {
      const read = await readManifestsAt(options.repo, head, options.path);
      parseErrors = read.errors;
      desired = [];
      for (const object of read.objects) {
        const kind = findKindByApiVersion(String(object.apiVersion), String(object.kind));
        if (!kind || !kind.verbs.includes("get")) {
          parseErrors.push(
            `${String(object.apiVersion)} ${String(object.kind)} is not served by the sandbox`,
          );
          continue;
        }
        const labelled = {
          ...object,
          metadata: {
            ...object.metadata,
            labels: { ...(object.metadata.labels ?? {}), [trackingLabel]: gitopsApplication.name },
          },
        };
        desired.push({
          kind,
          object: prepareObject(
            kind,
            labelled,
            kind.namespaced ? (object.metadata.namespace ?? "default") : undefined,
          ),
        });
      }
      revision = head;
      options.log(`gitops: main is at ${head.slice(0, 7)} (${desired.length} objects)`);
    }
    const resources: Record<string, unknown>[] = [];
    const failures: string[] = [...parseErrors];
    const keep = new Set<string>();
    for (const { kind, object } of [...desired].sort(
      (a, b) => Number(b.kind.kind === "Namespace") - Number(a.kind.kind === "Namespace"),
    )) {
      const namespace = object.metadata.namespace ?? "";
      const name = object.metadata.name ?? "";
      keep.add(`${kind.storageKey}|${namespace}|${name}`);
      try {
        if (kind.namespaced && !store.get(namespaces, "", namespace))
          store.create(namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
        const live = store.get(kind, namespace, name);
        if (!live) store.create(kind, object);
        else if (!contains(live, { ...object, apiVersion: undefined, kind: undefined, status: undefined })) {
          // Self-heal: put back what the manifest says, keeping what the cluster added (status, uid).
          store.update(kind, {
            ...live,
            ...object,
            metadata: { ...live.metadata, ...object.metadata, resourceVersion: undefined },
          });
        }
        resources.push({
          group: kind.group,
          version: kind.version,
          kind: kind.kind,
          namespace,
          name,
          status: "Synced",
          health: { status: "Healthy" },
        });
      } catch (error) {
        failures.push(
          `${kind.kind} ${namespace}/${name}: ${error instanceof Error ? error.message : String(error)}`,
        );
        resources.push({
          group: kind.group,
          version: kind.version,
          kind: kind.kind,
          namespace,
          name,
          status: "OutOfSync",
        });
      }
    }
    // Prune: objects this sync created earlier that are no longer in Git.
    for (const kind of storedKinds.filter((k) => k.preferred)) {
      for (const live of store.list(kind)) {
        if (live.metadata.labels?.[trackingLabel] !== gitopsApplication.name) continue;
        if (keep.has(`${kind.storageKey}|${live.metadata.namespace ?? ""}|${live.metadata.name ?? ""}`))
          continue;
        store.delete(kind, live.metadata.namespace ?? "", live.metadata.name ?? "");
      }
    }
    const ok = failures.length === 0;
    setStatus({
      sync: {
        status: ok ? "Synced" : "OutOfSync",
        revision,
        comparedTo: { source: appSpec.source, destination: appSpec.destination },
      },
      health: { status: ok ? "Healthy" : "Degraded" },
      resources,
      operationState: {
        phase: ok ? "Succeeded" : "Failed",
        message: ok ? "successfully synced (all tasks run)" : failures.join("; "),
        syncResult: { revision },
      },
      ...(ok ? {} : { conditions: [{ type: "SyncError", message: failures.join("; ") }] }),
    });
  };

  const tick = () => {
    if (running) return;
    running = true;
    sync()
      .then(() => (lastError = undefined))
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastError) options.log(`gitops: ${message}`);
        lastError = message;
      })
      .finally(() => (running = false));
  };
  tick();
  const timer = setInterval(tick, options.pollMs);
  timer.unref();
  return () => clearInterval(timer);
}
