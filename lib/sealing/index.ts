/**
 * Sealdeck's sealing engine: kubeseal-compatible encryption that runs unchanged in the browser and in
 * Node 20 (WebCrypto only). Plaintext goes in, only ciphertext comes out.
 *
 * @see https://github.com/bitnami-labs/sealed-secrets
 */
export { buildSealedSecret, type BuildSealedSecretOptions } from "./build-sealed-secret";
export { decodeBase64 } from "./decode-base64";
export { encodeBase64 } from "./encode-base64";
export { SealingError, isSealingError, type SealingErrorCode, type SealingIssue } from "./errors";
export { findMergeTarget, type MergeRequest, type MergeTarget } from "./find-merge-target";
export { formatManifest, type ManifestFormat } from "./format-manifest";
export { hybridEncrypt } from "./hybrid-encrypt";
export { importSealingKey, loadSealingKey, type SealingKey } from "./import-sealing-key";
export { mergeInto } from "./merge-into";
export {
  MIN_RSA_BITS,
  parseCertificate,
  type CertificateInfo,
  type ParseCertificateOptions,
} from "./parse-certificate";
export { parseSecretManifests } from "./parse-secret-manifests";
export {
  CLUSTER_WIDE_ANNOTATION,
  NAMESPACE_WIDE_ANNOTATION,
  SEALING_SCOPES,
  encryptionLabel,
  parseScope,
  scopeFromAnnotations,
  withScopeAnnotations,
  type SealingScope,
} from "./scope";
export {
  REENCRYPTION_ANNOTATION,
  REENCRYPTION_TRAILER,
  formatReencryptionMarker,
  isReencryptedCiphertext,
  parseReencryptionMarker,
  type ReencryptionMarker,
} from "./reencryption-marker";
export { sealValue, type SealTarget } from "./seal-value";
export {
  SEALED_WITH_ANNOTATION,
  type SealedSecretManifest,
  type SealedSecretMetadata,
} from "./sealed-secret-manifest";
export type { SecretEntry, SecretInput } from "./secret-input";
export {
  MAX_SECRET_BYTES,
  namespaceSchema,
  secretIssues,
  secretKeySchema,
  secretNameSchema,
  validateSecret,
  type ValidateSecretOptions,
} from "./validate-secret";
export { sha256Hex, toHex } from "./to-hex";
