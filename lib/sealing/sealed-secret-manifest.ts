/** `metadata` of a SealedSecret or of its template, keys in the order kubeseal's YAML prints them. */
export type SealedSecretMetadata = {
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  name: string;
  namespace?: string;
};

/**
 * A `bitnami.com/v1alpha1` SealedSecret as Sealdeck writes it: per-key `encryptedData` (not the
 * deprecated single `data` blob) and the Secret's metadata under `spec.template`.
 *
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/apis/sealedsecrets/v1alpha1/types.go
 */
export type SealedSecretManifest = {
  apiVersion: "bitnami.com/v1alpha1";
  kind: "SealedSecret";
  metadata: SealedSecretMetadata;
  spec: {
    /** Base64 ciphertexts by key, sorted by key as Go marshals maps. */
    encryptedData: Record<string, string>;
    template: {
      metadata: SealedSecretMetadata;
      type: string;
      immutable?: boolean;
    };
  };
};

/** Records which public key (SHA-256 of its DER SPKI, hex) sealed the values most recently. */
export const SEALED_WITH_ANNOTATION = "sealdeck.io/sealed-with";
