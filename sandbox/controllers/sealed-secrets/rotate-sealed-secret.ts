import "server-only";
import { createPublicKey } from "node:crypto";
import { parse } from "yaml";
import { hybridEncrypt } from "../../sealed-secrets/hybrid-encrypt";
import type { KubeObject } from "../../server/kube-object";
import { isRecord } from "../../server/kube-object";
import type { SealingKey } from "./sealing-keys";
import { sealingLabel } from "./sealing-scope";
import { unsealSealedSecret } from "./unseal-sealed-secret";

const NAMESPACE_WIDE = "sealedsecrets.bitnami.com/namespace-wide";
const CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide";
const LAST_APPLIED = [
  "kubectl.kubernetes.io/last-applied-configuration",
  "kubecfg.ksonnet.io/last-applied-configuration",
];

export class RotateError extends Error {}

/**
 * The controller's `Rotate` (pkg/controller/controller.go) on a request body: decodes one
 * `bitnami.com/v1alpha1` SealedSecret (JSON or YAML, as runtime.Decode's universal decoder accepts),
 * aligns `spec.template.metadata` with the object's metadata when they differ (upstream keeps the scope
 * that way), decrypts every value with any active key and seals each again with the newest key
 * (`NewSealedSecret`). The answer is what upstream marshals: no apiVersion/kind, metadata reduced to
 * name, namespace and the scope annotation, template data rendered into `encryptedData`.
 *
 * @throws RotateError for anything the controller answers 500 to (undecodable, wrong kind, undecryptable).
 */
export function rotateSealedSecret(body: Buffer, keys: readonly SealingKey[]): string {
  let parsed: unknown;
  try {
    parsed = parse(body.toString("utf8"));
  } catch (error) {
    // The first line only: YAML errors go on to quote the body, which has no place in a log.
    throw new RotateError(error instanceof Error ? (error.message.split("\n")[0] ?? "") : "cannot decode");
  }
  if (!isRecord(parsed) || typeof parsed.kind !== "string" || parsed.kind === "")
    throw new RotateError("Object 'Kind' is missing");
  if (parsed.apiVersion !== "bitnami.com/v1alpha1" || parsed.kind !== "SealedSecret")
    throw new RotateError(`unexpected resource type: ${String(parsed.apiVersion)}, Kind=${parsed.kind}`);
  const metadata = isRecord(parsed.metadata) ? parsed.metadata : {};
  const spec = isRecord(parsed.spec) ? parsed.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  // Upstream copies the object's metadata over the template's when they differ (a warning in its log).
  const templateMeta =
    JSON.stringify(metadata) === JSON.stringify(isRecord(template.metadata) ? template.metadata : {})
      ? metadata
      : structuredClone(metadata);
  const sealedSecret = { ...(parsed as KubeObject), metadata: metadata as KubeObject["metadata"] };

  const latest = keys.at(-1);
  if (!latest) throw new RotateError("no sealing key");
  let data: Record<string, string>;
  try {
    data = unsealSealedSecret(sealedSecret, [...keys]);
  } catch (error) {
    throw new RotateError(`error decrypting secret. ${error instanceof Error ? error.message : ""}`);
  }
  // Unseal renders `spec.template.data` into the Secret; NewSealedSecret then seals those entries too.
  const templateData = isRecord(template.data) ? template.data : {};
  for (const [key, value] of Object.entries(templateData))
    data[key] = Buffer.from(String(value)).toString("base64");

  const name = typeof metadata.name === "string" ? metadata.name : "";
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
  const annotations = isRecord(templateMeta.annotations)
    ? (templateMeta.annotations as Record<string, string>)
    : {};
  const label = Buffer.from(sealingLabel({ ...sealedSecret, metadata: { name, namespace, annotations } }));
  if (!namespace && annotations[CLUSTER_WIDE] !== "true")
    throw new RotateError("error creating new sealed secret. secret must declare a namespace");
  const publicKey = createPublicKey(latest.certPem);
  const encryptedData = Object.fromEntries(
    Object.entries(data)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [
        key,
        hybridEncrypt(publicKey, Buffer.from(value, "base64"), label).toString("base64"),
      ]),
  );

  const newTemplateMeta: Record<string, unknown> = {
    ...templateMeta,
    name,
    ...(namespace ? { namespace } : {}),
    creationTimestamp: templateMeta.creationTimestamp ?? null,
  };
  delete newTemplateMeta.ownerReferences;
  if (isRecord(newTemplateMeta.annotations)) {
    const kept = { ...newTemplateMeta.annotations };
    for (const key of LAST_APPLIED) delete kept[key];
    newTemplateMeta.annotations = kept;
  }
  // UpdateScopeAnnotations: only the scope annotation survives on the object, cluster-wide first.
  const scopeAnnotations: Record<string, string> =
    annotations[CLUSTER_WIDE] === "true"
      ? { [CLUSTER_WIDE]: "true" }
      : annotations[NAMESPACE_WIDE] === "true"
        ? { [NAMESPACE_WIDE]: "true" }
        : {};
  const resealed = {
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      creationTimestamp: null,
      ...(Object.keys(scopeAnnotations).length > 0 ? { annotations: scopeAnnotations } : {}),
    },
    spec: {
      template: {
        metadata: newTemplateMeta,
        ...(typeof template.type === "string" && template.type ? { type: template.type } : {}),
        ...(typeof template.immutable === "boolean" ? { immutable: template.immutable } : {}),
      },
      encryptedData,
    },
  };
  return JSON.stringify(resealed);
}
