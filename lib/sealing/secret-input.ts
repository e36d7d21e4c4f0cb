/** One key of a Secret and its plaintext; strings are sealed as UTF-8. */
export type SecretEntry = { key: string; value: Uint8Array | string };

/**
 * A Secret to seal, in the shape both the browser form and a parsed manifest produce. Only the metadata
 * worth carrying into Git is modelled; server-set fields (uid, resourceVersion, managedFields,
 * ownerReferences…) cannot be represented, so they can never leak into a SealedSecret.
 */
export type SecretInput = {
  name: string;
  /** Required except in the cluster-wide scope, where the label ignores it (as upstream). */
  namespace?: string;
  /** Secret type; `Opaque` when absent, as the API server defaults it. */
  type?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  immutable?: boolean;
  /** Keys in the order given; duplicates are a validation error. */
  entries: readonly SecretEntry[];
};
