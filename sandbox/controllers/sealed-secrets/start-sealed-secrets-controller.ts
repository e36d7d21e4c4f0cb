import "server-only";
import type { ClusterContext, ProxyRequest, ProxyResponse } from "../../server/cluster-context";
import type { KubeObject } from "../../server/kube-object";
import { isRecord, nowIso } from "../../server/kube-object";
import { preferredKind } from "../../server/resource-kinds";
import { skipUnsealAnnotation } from "../../load/generate-estate";
import { createEventRecorder } from "../record-event";
import { WorkQueue } from "../work-queue";
import { generateSealingKey, type SealingKeyPair } from "./generate-sealing-key";
import {
  activeKeys,
  controllerNamespace,
  deleteSealingKeys,
  keyLabel,
  sealingKeyBackupYaml,
  storeSealingKey,
} from "./sealing-keys";
import { RotateError, rotateSealedSecret } from "./rotate-sealed-secret";
import { UnsealError, unsealSealedSecret } from "./unseal-sealed-secret";

export const controllerService = "sealed-secrets-controller";
const sealedSecrets = preferredKind("bitnami.com", "SealedSecret");
const secrets = preferredKind("", "Secret");
const services = preferredKind("", "Service");
const deployments = preferredKind("apps", "Deployment");

export type SealedSecretsController = {
  /** Adds a new active key (old ones stay), as the controller's periodic renewal does. */
  renewKey(): Promise<void>;
  /**
   * What a cluster rebuilt without restoring its key backup looks like: every key Secret deleted and a
   * fresh key made at the controller's next start. Returns the lost keys' backup YAML (the upstream
   * `kubectl get secret -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml` format) for tests.
   */
  replaceKeys(): Promise<{ backupYaml: string }>;
  /** A controller restart (pod deleted, `kubectl rollout restart`): loads its keys, makes one if none. */
  restart(): Promise<void>;
  idle(): Promise<void>;
  stop(): void;
};

function installManifests(context: ClusterContext) {
  const { store } = context;
  const labels = {
    "app.kubernetes.io/name": "sealed-secrets",
    "app.kubernetes.io/instance": "sealed-secrets-controller",
    name: "sealed-secrets-controller",
  };
  if (!store.get(services, controllerNamespace, controllerService)) {
    store.create(services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: controllerService, namespace: controllerNamespace, labels },
      spec: {
        type: "ClusterIP",
        clusterIP: "10.96.0.200",
        selector: { name: "sealed-secrets-controller" },
        ports: [{ name: "http", port: 8080, protocol: "TCP", targetPort: 8080 }],
      },
    });
  }
  if (!store.get(deployments, controllerNamespace, controllerService)) {
    store.create(deployments, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: controllerService, namespace: controllerNamespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { name: "sealed-secrets-controller" } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: "sealed-secrets-controller",
                image: "docker.io/bitnami/sealed-secrets-controller:0.27.1 (sandbox emulation)",
                ports: [{ containerPort: 8080, name: "http" }],
              },
            ],
          },
        },
      },
    });
    store.update(
      deployments,
      {
        ...store.get(deployments, controllerNamespace, controllerService)!,
        status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
      },
      { status: true },
    );
  }
}

function syncedCondition(status: "True" | "False", message?: string) {
  const now = nowIso();
  return {
    type: "Synced",
    status,
    lastUpdateTime: now,
    lastTransitionTime: now,
    ...(message ? { message } : {}),
  };
}

/**
 * The sealed-secrets controller: unseals every SealedSecret into its Secret and serves /v1/cert.pem,
 * /v1/verify and /v1/rotate behind kube-system/sealed-secrets-controller:http via services/proxy.
 */
export async function startSealedSecretsController(
  context: ClusterContext,
  log: (line: string) => void,
  /** The cluster's own key, kept between starts by the caller; absent: a fresh one. */
  ownKey?: SealingKeyPair,
): Promise<SealedSecretsController> {
  const { store } = context;
  installManifests(context);
  // A key of its own at every start, as after a renewal (fresh unless the caller keeps one): restored
  // backups stay active for unsealing, but each cluster hands out its own certificate.
  storeSealingKey(store, ownKey ?? (await generateSealingKey()));

  const recordEvent = createEventRecorder(store, "sealed-secrets-controller");
  const writeStatus = (sealedSecret: KubeObject, condition: ReturnType<typeof syncedCondition>) => {
    const current = store.get(
      sealedSecrets,
      sealedSecret.metadata.namespace ?? "",
      sealedSecret.metadata.name ?? "",
    );
    if (!current) return;
    const previous =
      isRecord(current.status) && Array.isArray(current.status.conditions)
        ? current.status.conditions.find((c) => isRecord(c) && c.type === "Synced")
        : undefined;
    const unchanged =
      isRecord(previous) && previous.status === condition.status && previous.message === condition.message;
    if (
      unchanged &&
      isRecord(current.status) &&
      current.status.observedGeneration === current.metadata.generation
    )
      return;
    const conditions = [unchanged ? previous : condition];
    store.update(
      sealedSecrets,
      {
        ...current,
        status: {
          ...(isRecord(current.status) ? current.status : {}),
          observedGeneration: current.metadata.generation,
          conditions,
        },
      },
      { status: true },
    );
    // Here the condition changed or the spec is new (a rotation, say): an unseal was attempted. The
    // controller records an event for every attempt, and its recorder folds identical ones into a count.
    if (condition.status === "True")
      recordEvent(current, "Normal", "Unsealed", "SealedSecret unsealed successfully");
    else recordEvent(current, "Warning", "ErrUnsealFailed", `Failed to unseal: ${condition.message ?? ""}`);
  };

  const reconcile = (key: string) => {
    const [namespace = "", name = ""] = key.split("/");
    const sealedSecret = store.get(sealedSecrets, namespace, name);
    if (!sealedSecret || sealedSecret.metadata.deletionTimestamp) return;
    if (sealedSecret.metadata.annotations?.[skipUnsealAnnotation] === "true") return;
    let data: Record<string, string>;
    try {
      data = unsealSealedSecret(sealedSecret, activeKeys(store));
    } catch (error) {
      if (!(error instanceof UnsealError)) throw error;
      writeStatus(sealedSecret, syncedCondition("False", error.message));
      return;
    }
    const template =
      isRecord(sealedSecret.spec) && isRecord(sealedSecret.spec.template) ? sealedSecret.spec.template : {};
    const templateMeta = isRecord(template.metadata) ? template.metadata : {};
    const templateData = isRecord(template.data) ? template.data : {};
    const owner = {
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      name,
      uid: sealedSecret.metadata.uid ?? "",
      controller: true,
    };
    const existing = store.get(secrets, namespace, name);
    if (existing && !existing.metadata.ownerReferences?.some((ref) => ref.uid === owner.uid)) {
      writeStatus(
        sealedSecret,
        syncedCondition("False", `Resource "${name}" already exists and is not managed by SealedSecret`),
      );
      return;
    }
    const desired: KubeObject = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        ...(existing?.metadata ?? {}),
        name,
        namespace,
        labels: (templateMeta.labels as Record<string, string> | undefined) ?? {},
        annotations: (templateMeta.annotations as Record<string, string> | undefined) ?? {},
        ownerReferences: [owner],
      },
      type: typeof template.type === "string" ? template.type : "Opaque",
      data: {
        ...Object.fromEntries(
          Object.entries(templateData).map(([k, v]) => [k, Buffer.from(String(v)).toString("base64")]),
        ),
        ...data,
      },
    };
    delete desired.metadata.resourceVersion;
    if (existing) store.update(secrets, desired);
    else store.create(secrets, desired);
    writeStatus(sealedSecret, syncedCondition("True"));
  };

  const queue = new WorkQueue(reconcile, (key, error) =>
    log(`sealed-secrets: ${key}: ${error instanceof Error ? error.message : String(error)}`),
  );
  const enqueueAll = () =>
    store
      .list(sealedSecrets)
      .forEach((s) => queue.add(`${s.metadata.namespace ?? ""}/${s.metadata.name ?? ""}`));
  // What each SealedSecret looked like when last unsealed: status writes change neither part, so the
  // controller's own updates do not loop, while spec and scope-annotation changes do trigger a new unseal.
  const handled = new Map<string, string>();
  const deployment = store.get(deployments, controllerNamespace, controllerService);
  let podTemplate = JSON.stringify(
    deployment && isRecord(deployment.spec) && isRecord(deployment.spec.template)
      ? deployment.spec.template
      : {},
  );
  const fingerprint = (object: KubeObject) =>
    `${object.metadata.generation ?? 0}|${JSON.stringify(object.metadata.annotations ?? {})}`;
  const unsubscribe = store.subscribe((event) => {
    const { object } = event;
    const key = `${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
    if (event.storageKey === sealedSecrets.storageKey) {
      if (event.type === "DELETED") handled.delete(key);
      else if (handled.get(key) !== fingerprint(object)) {
        handled.set(key, fingerprint(object));
        queue.add(key);
      }
    }
    // `kubectl rollout restart` (or a changed pod template) restarts the controller, as a new pod would.
    if (
      event.storageKey === deployments.storageKey &&
      event.type === "MODIFIED" &&
      object.metadata.namespace === controllerNamespace &&
      object.metadata.name === controllerService
    ) {
      const template = JSON.stringify(
        isRecord(object.spec) && isRecord(object.spec.template) ? object.spec.template : {},
      );
      if (template !== podTemplate)
        restart().catch((error: unknown) =>
          log(`sealed-secrets: restart: ${error instanceof Error ? error.message : String(error)}`),
        );
      podTemplate = template;
    }
    // A new, restored or relabelled key may open SealedSecrets that failed before.
    if (
      event.storageKey === secrets.storageKey &&
      object.metadata.namespace === controllerNamespace &&
      object.metadata.labels?.[keyLabel] !== undefined
    )
      enqueueAll();
  });
  enqueueAll();

  context.proxyBackends.set(`${controllerNamespace}/${controllerService}`, (request) => serve(request));

  async function serve(request: ProxyRequest): Promise<ProxyResponse> {
    const path = request.path.split("?")[0];
    if (request.method === "GET" && (path === "/healthz" || path === "/")) return { status: 200, body: "ok" };
    if (request.method === "GET" && path === "/v1/cert.pem") {
      const latest = activeKeys(store).at(-1);
      if (!latest) return { status: 500, body: "no sealing key" };
      return { status: 200, headers: { "Content-Type": "application/x-pem-file" }, body: latest.certPem };
    }
    if (request.method === "POST" && path === "/v1/verify") {
      let sealedSecret: KubeObject;
      try {
        const parsed: unknown = JSON.parse(request.body.toString("utf8"));
        if (!isRecord(parsed) || !isRecord(parsed.metadata)) throw new Error("not an object");
        sealedSecret = parsed as KubeObject;
      } catch {
        return { status: 400, body: "invalid SealedSecret JSON" };
      }
      try {
        unsealSealedSecret(sealedSecret, activeKeys(store));
      } catch (error) {
        return { status: 409, body: error instanceof Error ? error.message : "cannot unseal" };
      }
      return { status: 200, body: "" };
    }
    if (request.method === "POST" && path === "/v1/rotate") {
      // Upstream answers every failure with an empty 500 (the reason goes to its log), and sets its
      // Content-Type after WriteHeader, so Go's sniffed text/plain is what a client sees.
      try {
        return { status: 200, body: rotateSealedSecret(request.body, activeKeys(store)) };
      } catch (error) {
        if (!(error instanceof RotateError)) throw error;
        log(`sealed-secrets: Error rotating secret: ${error.message}`);
        return { status: 500, body: "" };
      }
    }
    if (request.method === "POST" && path === "/v1/sandbox/replace-keys") {
      // The lost keys stay out of the answer: whoever wants a backup takes one with kubectl first.
      await replaceKeys();
      return { status: 200, body: "every sealing key was replaced by a new one\n" };
    }
    if (request.method === "POST" && path === "/v1/sandbox/renew-key") {
      await renewKey();
      return { status: 200, body: "a new sealing key is active\n" };
    }
    return { status: 404, body: "404 page not found\n" };
  }

  async function renewKey() {
    storeSealingKey(store, await generateSealingKey());
  }

  async function restart() {
    // Upstream generates a key at start when it finds none (a new cluster, or one rebuilt without backup).
    if (activeKeys(store).length === 0) storeSealingKey(store, await generateSealingKey());
    enqueueAll();
  }

  async function replaceKeys() {
    const backupYaml = sealingKeyBackupYaml(store);
    deleteSealingKeys(store);
    await restart();
    return { backupYaml };
  }

  return {
    renewKey,
    replaceKeys,
    restart,
    idle: () => queue.idle(),
    stop() {
      unsubscribe();
      queue.stop();
      context.proxyBackends.delete(`${controllerNamespace}/${controllerService}`);
    },
  };
}
