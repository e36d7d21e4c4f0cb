import "server-only";
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { stringify } from "yaml";
import type { KubeObject } from "../../server/kube-object";
import { isRecord } from "../../server/kube-object";
import type { ObjectStore } from "../../server/object-store";
import { preferredKind } from "../../server/resource-kinds";
import type { SealingKeyPair } from "./generate-sealing-key";

export const controllerNamespace = "kube-system";
export const keyLabel = "sealedsecrets.bitnami.com/sealed-secrets-key";

export type SealingKey = {
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certPem: string;
  created: string;
};

const secrets = preferredKind("", "Secret");
const cache = new WeakMap<KubeObject, SealingKey | null>();

function parseKeySecret(secret: KubeObject): SealingKey | null {
  const cached = cache.get(secret);
  if (cached !== undefined) return cached;
  let parsed: SealingKey | null = null;
  try {
    const data = isRecord(secret.data) ? secret.data : {};
    const keyPem = Buffer.from(String(data["tls.key"] ?? ""), "base64").toString("utf8");
    const certPem = Buffer.from(String(data["tls.crt"] ?? ""), "base64").toString("utf8");
    const privateKey = createPrivateKey(keyPem);
    parsed = {
      name: secret.metadata.name ?? "",
      privateKey,
      publicKey: createPublicKey(privateKey),
      certPem,
      created: secret.metadata.creationTimestamp ?? "",
    };
  } catch {
    parsed = null;
  }
  cache.set(secret, parsed);
  return parsed;
}

/**
 * Every Secret in kube-system labelled `sealed-secrets-key=active`, oldest first, so the last one is
 * the key whose certificate the controller hands out. A restored backup counts as soon as it exists.
 */
export function activeKeys(store: ObjectStore): SealingKey[] {
  return store
    .list(secrets, controllerNamespace)
    .filter((s) => s.metadata.labels?.[keyLabel] === "active")
    .sort(
      (a, b) =>
        (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") ||
        Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
    )
    .map(parseKeySecret)
    .filter((k): k is SealingKey => k !== null);
}

/** Stores a key pair as the controller does: a `kubernetes.io/tls` Secret named `sealed-secrets-keyXXXXX`. */
export function storeSealingKey(store: ObjectStore, pair: SealingKeyPair): KubeObject {
  const suffix = randomBytes(4).toString("hex").slice(0, 5);
  return store.create(secrets, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `sealed-secrets-key${suffix}`,
      namespace: controllerNamespace,
      labels: { [keyLabel]: "active" },
    },
    type: "kubernetes.io/tls",
    data: {
      "tls.crt": Buffer.from(pair.certPem).toString("base64"),
      "tls.key": Buffer.from(pair.keyPem).toString("base64"),
    },
  });
}

/** Every key Secret of the controller, whatever its label value (active or compromised). */
function keySecrets(store: ObjectStore): KubeObject[] {
  return store.list(secrets, controllerNamespace).filter((s) => s.metadata.labels?.[keyLabel] !== undefined);
}

/**
 * The key backup as upstream documents it (`kubectl get secret -n kube-system -l
 * sealedsecrets.bitnami.com/sealed-secrets-key -o yaml`): a `kind: List` of the key Secrets, reduced to
 * what `kubectl apply -f` needs to restore them (no uid, resourceVersion or managedFields).
 */
export function sealingKeyBackupYaml(store: ObjectStore): string {
  return stringify({
    apiVersion: "v1",
    kind: "List",
    items: keySecrets(store).map((s) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: s.metadata.name,
        namespace: controllerNamespace,
        labels: { ...s.metadata.labels },
      },
      type: s.type,
      data: s.data,
    })),
  });
}

/** Deletes every key Secret, as a cluster rebuilt without its key backup has none of them. */
export function deleteSealingKeys(store: ObjectStore): void {
  for (const secret of keySecrets(store))
    store.delete(secrets, controllerNamespace, secret.metadata.name ?? "");
}
