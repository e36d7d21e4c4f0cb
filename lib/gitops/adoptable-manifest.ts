import "server-only";

import { AppError } from "@/lib/errors/app-error";
import type { SealedSecretManifest } from "@/lib/sealing";

// Annotations the API server or a GitOps tool writes on a live object: they describe how it was applied,
// not what the manifest says, and the last-applied copy would duplicate the whole object in Git.
const appliedAnnotations = [
  /^kubectl\.kubernetes\.io\/last-applied-configuration$/,
  /^argocd\.argoproj\.io\/tracking-id$/,
  /^kustomize\.toolkit\.fluxcd\.io\//,
];

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function stringMap(value: unknown, what: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw refused(`its ${what} is not a map of strings`);
  const entries = Object.entries(value);
  for (const [, entry] of entries)
    if (typeof entry !== "string") throw refused(`its ${what} is not a map of strings`);
  return entries.length > 0 ? (value as Record<string, string>) : undefined;
}

function refused(why: string): AppError {
  return new AppError("unprocessable", `The SealedSecret in the cluster cannot be adopted: ${why}.`);
}

/**
 * The manifest to write into Git for a SealedSecret that exists in a cluster but in no file ("adopt"):
 * the live object reduced to what its author wrote. Only `metadata` (name, namespace, labels,
 * annotations, without the ones a tool adds when applying) and `spec.encryptedData` (ciphertext) and
 * `spec.template` (the Secret's metadata and type) are kept; status, uid, resourceVersion,
 * managedFields and owner references are dropped. Anything that could hold readable data is refused
 * rather than copied: a `spec.template.data` (plain text templates), the deprecated single `spec.data`
 * blob, or an encryptedData value that is not base64 ciphertext. The object must be a SealedSecret named
 * `expected`: a Secret is never adopted.
 */
export function adoptableManifest(
  live: unknown,
  expected: { namespace: string; name: string },
): SealedSecretManifest {
  if (!isRecord(live) || live.kind !== "SealedSecret" || live.apiVersion !== "bitnami.com/v1alpha1")
    throw refused("it is not a bitnami.com/v1alpha1 SealedSecret");
  const metadata = isRecord(live.metadata) ? live.metadata : {};
  if (metadata.name !== expected.name || (metadata.namespace ?? "") !== expected.namespace)
    throw refused(`it is not ${expected.namespace}/${expected.name}`);
  const spec = isRecord(live.spec) ? live.spec : {};
  if (spec.data !== undefined && spec.data !== null && spec.data !== "")
    throw refused("it uses the deprecated single spec.data field; reseal all keys instead");
  const encrypted = stringMap(spec.encryptedData, "spec.encryptedData") ?? {};
  if (Object.keys(encrypted).length === 0) throw refused("it has no encryptedData");
  for (const [key, value] of Object.entries(encrypted))
    if (!base64.test(value)) throw refused(`the value of ${key} is not base64 ciphertext`);
  const template = isRecord(spec.template) ? spec.template : {};
  if (template.data !== undefined && template.data !== null)
    throw refused("its template has data fields Sealdeck does not copy; reseal all keys instead");
  const templateMetadata = isRecord(template.metadata) ? template.metadata : {};

  const annotations = Object.fromEntries(
    Object.entries(stringMap(metadata.annotations, "annotations") ?? {}).filter(
      ([key]) => !appliedAnnotations.some((pattern) => pattern.test(key)),
    ),
  );
  const labels = stringMap(metadata.labels, "labels");
  const templateLabels = stringMap(templateMetadata.labels, "template labels");
  const templateAnnotations = stringMap(templateMetadata.annotations, "template annotations");
  const sorted = Object.fromEntries(Object.entries(encrypted).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: {
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(labels ? { labels } : {}),
      name: expected.name,
      ...(expected.namespace ? { namespace: expected.namespace } : {}),
    },
    spec: {
      encryptedData: sorted,
      template: {
        metadata: {
          ...(templateAnnotations ? { annotations: templateAnnotations } : {}),
          ...(templateLabels ? { labels: templateLabels } : {}),
          name: typeof templateMetadata.name === "string" ? templateMetadata.name : expected.name,
          ...(expected.namespace ? { namespace: expected.namespace } : {}),
        },
        type: typeof template.type === "string" && template.type !== "" ? template.type : "Opaque",
        ...(typeof template.immutable === "boolean" ? { immutable: template.immutable } : {}),
      },
    },
  };
}
