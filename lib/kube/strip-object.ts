import "server-only";

/** A Kubernetes object as the caches keep it: plain JSON, managedFields removed. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: {
      apiVersion?: string;
      kind?: string;
      name?: string;
      uid?: string;
      controller?: boolean;
    }[];
    deletionTimestamp?: string;
  };
  spec?: unknown;
  status?: unknown;
  type?: string;
};

// managedFields can be larger than the object itself and is of no use to the dashboard; dropping it
// at the border keeps memory down and keeps it out of anything sent to a browser.
// `kubectl.kubernetes.io/last-applied-configuration` is dropped too: for a plain Secret applied with
// kubectl it would hold the Secret's data, which must never be kept (invariant 2).
export function stripObject<T extends { metadata?: object }>(object: T): T {
  const metadata = { ...(object.metadata ?? {}) } as KubeObject["metadata"] & { managedFields?: unknown };
  delete metadata.managedFields;
  if (metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"] !== undefined) {
    const { "kubectl.kubernetes.io/last-applied-configuration": _dropped, ...annotations } =
      metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...object, metadata };
}

/** A Secret reduced to metadata, whatever the server sent (defence in depth for invariant 2). */
export function secretMetadataOnly(object: KubeObject): KubeObject {
  const stripped = stripObject(object);
  return { apiVersion: "v1", kind: "Secret", metadata: stripped.metadata };
}

/**
 * A SealedSecret as the cache keeps it: each ciphertext cut to its first bytes. The inventory needs
 * only the key names and the RSA block length at the start of each value (see normalize-sealed-secret);
 * keeping 20,000 full ciphertexts would cost hundreds of MB. Actions that need the whole object (verify)
 * read it fresh from the API server.
 */
export function shrinkSealedSecret(object: KubeObject): KubeObject {
  const stripped = stripObject(object);
  const spec = stripped.spec as { encryptedData?: Record<string, unknown> } | undefined;
  if (!spec?.encryptedData) return stripped;
  const encryptedData: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.encryptedData))
    encryptedData[key] = typeof value === "string" ? value.slice(0, 8) : "";
  return { ...stripped, spec: { ...spec, encryptedData } };
}
